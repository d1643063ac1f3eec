/** The Cliq message body (specs/zoho-cliq.md). */
export type Slide = { title?: string } & (
  | { type: 'table'; data: { headers: string[]; rows: Record<string, string>[] } }
  | { type: 'label'; data: Record<string, string>[] }
  | { type: 'list'; data: string[] }
  | { type: 'text'; data: string }
  | { type: 'images'; data: string[] }
);

export interface Button {
  label: string;
  hint?: string;
  type?: '+' | '-';
  action: { type: 'open.url'; data: { web: string } };
}

export interface CliqMessage {
  text: string;
  bot?: { name?: string; image?: string };
  card?: { title?: string; theme?: 'modern-inline' | 'poll' | 'prompt'; thumbnail?: string };
  slides?: Slide[];
  buttons?: Button[];
  /** Cliq answers 200 `{"message_id"}` instead of 204: the id a thread hangs from. */
  sync_message?: boolean;
  /** Thread calls only (lib/cliq/thread.ts): the parent message whose thread this replies in. */
  thread_message_id?: string;
  /** Thread calls only: also show the reply in the channel. */
  post_in_parent?: boolean;
}

/** Cliq's limits, with the safe value where Zoho's pages disagree. */
export const CLIQ_LIMITS = {
  text: 5000,
  cardTitle: 200,
  slides: 20,
  slidesChars: 10_000,
  buttons: 5,
  buttonLabel: 20,
  buttonHint: 100,
  buttonUrl: 256,
} as const;
