// The one test for "a JSON object" (not null, not an array) on values read from YAML, the API
// server or a CRD schema.
export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** An object or an array: a JSON value with members, read by key either way (an array's are indices). */
export const isContainer = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
