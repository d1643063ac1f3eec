/** A glob as an anchored regular expression: `*` any run of characters, `?` one, everything else literal. */
export const globRegExp = (glob: string, options: { readonly ignoreCase: boolean }): RegExp =>
  new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    options.ignoreCase ? 'is' : 's',
  );
