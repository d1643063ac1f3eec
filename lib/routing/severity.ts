/** `>= warning` style thresholds in a routing file's `severity`. */
export const SEVERITY_AT_LEAST = /^\s*>=\s*(critical|error|warning|info)\s*$/;
