/** The variables that pick the local stack's ports, and their defaults. */
export const PORT_VARIABLES = { http: 'PORT', sqs: 'SQS_PORT', dynamodb: 'DYNAMODB_PORT' } as const;
export type PortVariable = (typeof PORT_VARIABLES)[keyof typeof PORT_VARIABLES];

/** A port from the environment: a whole number 0..65535 (0 picks a free one), else an error naming the variable. */
export const portFrom = (
  env: Readonly<Record<string, string | undefined>>,
  variable: PortVariable,
  fallback: number,
): number => {
  const raw = env[variable];
  if (raw === undefined || raw.trim() === '') return fallback;
  const port = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || port > 65_535) {
    throw new Error(
      `${variable}=${raw} is not a port: use a whole number from 1 to 65535 (0 picks a free one)`,
    );
  }
  return port;
};

/** Why a listener could not start, naming the variable that picked its port. */
export const listenError = (error: unknown, variable: PortVariable, host: string, port: number): Error => {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return new Error(
      `${variable} ${port} is in use on ${host}: another npm start may be running (stop it), or set ${variable} to a free port`,
      { cause: error },
    );
  }
  if (code === 'EACCES') {
    return new Error(
      `${variable} ${port} may not be opened by this user: set ${variable} to a port above 1023`,
      {
        cause: error,
      },
    );
  }
  return error instanceof Error ? error : new Error(String(error));
};
