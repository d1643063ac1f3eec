/** The value when it is an http(s) URL with a host that Cliq can link to (at most 2048 chars), else undefined. */
export const httpUrlOf = (value: string | undefined): string | undefined => {
  if (value === undefined || value.length > 2048) return undefined;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '' ? value : undefined;
  } catch {
    return undefined;
  }
};
