/** How rendered Cliq messages look, in the console and in `npm run cards` pictures alike. */
export const CARD_CSS = `
.cliq-message{font:14px/1.45 "Noto Sans","Segoe UI",system-ui,sans-serif;color:#1d2430;max-width:640px;padding:10px 12px;background:#fff;border-radius:10px;overflow-wrap:anywhere}
.cliq-sender{display:flex;align-items:center;gap:8px;font-weight:600;margin-bottom:4px}
.cliq-avatar{display:inline-grid;place-items:center;width:26px;height:26px;border-radius:50%;background:#2f6fde;color:#fff;font-size:13px}
.cliq-thread-note{font-size:12px;color:#5b6475;margin:-2px 0 4px 34px}
.cliq-text{margin-left:34px}
.cliq-text p,.cliq-text-slide p{margin:0 0 4px}
.cliq-heading{font-size:17px;margin:6px 0 4px}
.cliq-small-heading{font-size:14px;margin:6px 0 2px}
.cliq-message code{font-family:"Noto Sans Mono",ui-monospace,monospace;background:#eef1f6;border-radius:4px;padding:0 4px;font-size:13px}
.cliq-message pre{background:#eef1f6;border-radius:6px;padding:8px;overflow:auto;margin:4px 0}
.cliq-message pre code{background:none;padding:0}
.cliq-message a{color:#1f5fc9}
.cliq-mention{color:#1f5fc9;background:#e6efff;border-radius:4px;padding:0 3px;font-weight:600}
.cliq-card{margin:8px 0 0 34px;border:1px solid #dfe3ea;border-left:4px solid #2f6fde;border-radius:8px;padding:10px 12px;background:#fbfcfe}
.cliq-card-title{font-weight:700;font-size:15px;margin-bottom:6px}
.cliq-slide{margin:8px 0}
.cliq-slide-title{margin:0 0 4px;font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:#5b6475}
.cliq-labels{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:6px 14px;margin:0}
.cliq-label dt{font-size:12px;color:#5b6475}
.cliq-label dd{margin:0;font-weight:600}
.cliq-table-wrap{overflow-x:auto}
.cliq-table{border-collapse:collapse;width:100%;font-size:13px}
.cliq-table th,.cliq-table td{border:1px solid #dfe3ea;padding:4px 6px;text-align:left;vertical-align:top}
.cliq-table th{background:#eef1f6}
.cliq-list{margin:0;padding-left:20px}
.cliq-images{list-style:none;margin:0;padding:0}
.cliq-buttons{display:flex;flex-wrap:wrap;gap:6px;margin-top:10px}
.cliq-button{display:inline-block;border:1px solid #2f6fde;color:#1f5fc9;border-radius:6px;padding:3px 10px;font-size:13px;text-decoration:none;background:#fff}
.cliq-button-plus{border-color:#1e8e3e;color:#1e7a36}
.cliq-button-minus{border-color:#c5221f;color:#b3261e}
.cliq-message hr{border:0;border-top:1px solid #dfe3ea;margin:6px 0}
`;
