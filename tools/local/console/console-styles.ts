import { CARD_CSS } from './card-styles';

/** The console's look, around the cards: readable at 1280×800 and at phone width, focus always visible. */
export const CONSOLE_CSS = `${CARD_CSS}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;font:15px/1.5 "Noto Sans",system-ui,sans-serif;color:#1d2430;background:#eef1f6}
a{color:#1f5fc9}
:focus-visible{outline:3px solid #f0a500;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:6px 10px;z-index:10}
.skip:focus{left:8px}
.muted{color:#5b6475;font-weight:400}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.top{display:flex;flex-wrap:wrap;align-items:center;gap:8px 18px;padding:10px 20px;background:#1d2430;color:#fff}
.top h1{font-size:18px;margin:0}
.top .muted{color:#b8c0cf}
.top nav{display:flex;flex-wrap:wrap;gap:4px;margin-left:auto}
.top nav a{color:#fff;text-decoration:none;padding:6px 12px;border-radius:6px}
.top nav a[aria-current="page"]{background:#2f6fde}
.top nav a:hover{background:#34405a}
.mode{font-size:12px;padding:2px 8px;border-radius:10px;background:#34405a}
.mode-delivering{background:#1e7a36}
.mode-mixed{background:#8a5a00}
.count:not(:empty){display:inline-block;min-width:20px;padding:0 6px;border-radius:10px;background:#c5221f;font-size:12px;text-align:center}
main{max-width:1100px;margin:0 auto;padding:16px 20px 40px}
main:focus{outline:none}
h2{font-size:20px;margin:4px 0 8px}
.panel-head{display:flex;flex-wrap:wrap;align-items:center;gap:10px}
.panel-head h2{margin-right:auto}
.empty{background:#fff;border-radius:8px;padding:16px;color:#5b6475}
button{font:inherit;padding:6px 14px;border-radius:6px;border:1px solid #a9b2c3;background:#fff;color:#1d2430;cursor:pointer}
button:hover{background:#f3f5f9}
button.primary{background:#2f6fde;border-color:#2f6fde;color:#fff}
button.danger{border-color:#c5221f;color:#b3261e}
button.link{border:0;background:none;color:#1f5fc9;text-decoration:underline;padding:0 4px}
.feed{list-style:none;margin:0;padding:0;display:grid;gap:12px}
.entry{background:#fff;border-radius:10px;padding:12px 14px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
.entry-head{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 10px}
.entry-head .subject{font-weight:700}
.entry-head time{margin-left:auto;color:#5b6475;font-size:13px}
.tag{font-size:12px;padding:1px 8px;border-radius:10px;background:#e6ebf3}
.kind{font-family:"Noto Sans Mono",ui-monospace,monospace;font-size:13px;color:#34405a}
.decision{font-size:13px;color:#34405a;margin:4px 0 6px}
.decision strong{color:#1d2430}
.delivery{border-top:1px solid #e6ebf3;padding-top:8px;margin-top:8px}
.delivery-head{display:flex;flex-wrap:wrap;gap:6px 10px;align-items:center;font-size:13px;margin-bottom:4px}
.state{font-weight:700;font-size:12px;padding:2px 8px;border-radius:10px;text-transform:uppercase;letter-spacing:.03em}
.state-routed,.state-queued{background:#e6ebf3;color:#34405a}
.state-delivered{background:#dcf3e3;color:#155d2a}
.state-digested{background:#e0ebff;color:#1a4fa8}
.state-retrying{background:#fff1d1;color:#7a4b00}
.state-dead_lettered{background:#fde0de;color:#8c1d18}
.state-held{background:#ede3ff;color:#4f2a94}
.state-lock,.state-backoff{background:#fff1d1;color:#7a4b00}
.state-budget,.state-unread{background:#e6ebf3;color:#34405a}
.waiting-count{font-weight:600}
.waiting-owner .subject{overflow-wrap:anywhere;min-width:0}
.waiting-events{margin:4px 0 0;padding-left:20px;font-size:14px;display:grid;gap:2px}
.state-unchanged{background:#f1f3f6;color:#4a5263;border:1px dashed #a9b2c3}
.mark{font-size:12px;padding:1px 8px;border-radius:10px;background:#eef3fb;color:#1a4fa8}
.mark-channel{background:#fff1d1;color:#7a4b00;font-weight:600}
.unposted summary{font-size:13px;color:#5b6475;cursor:pointer}
.replies{margin:8px 0 0 24px;padding-left:12px;border-left:3px solid #c9d6ee;display:grid;gap:8px}
.replies .entry{box-shadow:none;background:#f7f9fc}
.replies-label{font-size:12px;font-weight:700;text-transform:uppercase;letter-spacing:.04em;color:#1a4fa8}
.replies .entry-head .tag,.replies .entry-head .subject{display:none}
.playground{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:10px 14px;background:#fff;border-radius:10px;padding:14px}
.field{display:flex;flex-direction:column;gap:4px;min-width:0}
.field.wide,.actions.wide{grid-column:1/-1}
.field label,summary{font-weight:600;font-size:14px}
select,input,textarea{font:inherit;padding:6px 8px;border:1px solid #a9b2c3;border-radius:6px;background:#fff;width:100%}
textarea{font-family:"Noto Sans Mono",ui-monospace,monospace;font-size:13px}
.actions{display:flex;gap:8px;justify-content:flex-end}
.result{background:#fff;border-radius:10px;padding:12px 14px;margin-top:12px}
.error{background:#fde0de;color:#8c1d18;border-radius:8px;padding:10px 12px;margin-top:12px;white-space:pre-wrap}
.table-wrap{overflow-x:auto;background:#fff;border-radius:10px;margin-top:8px}
.letters{border-collapse:collapse;width:100%;font-size:14px}
.letters th,.letters td{text-align:left;padding:8px 10px;border-bottom:1px solid #e6ebf3;vertical-align:top}
.letters tr.selected{background:#f3f7ff}
.detail{background:#fff;border-radius:10px;padding:12px 14px;margin-top:12px}
.detail dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;margin:0 0 10px}
.detail dt{color:#5b6475}
.detail dd{margin:0;overflow-wrap:anywhere}
dialog{border:0;border-radius:10px;padding:18px 20px;max-width:min(480px,92vw);box-shadow:0 8px 30px rgba(0,0,0,.3)}
dialog::backdrop{background:rgba(20,26,38,.5)}
dialog h2{margin-top:0}
@media (max-width:700px){
  .top{padding:10px 12px}
  .top nav{margin-left:0;width:100%}
  main{padding:12px 10px 30px}
  .playground{grid-template-columns:1fr}
  .cliq-text,.cliq-card{margin-left:0}
  .letters .hide-narrow{display:none}
}
`;
