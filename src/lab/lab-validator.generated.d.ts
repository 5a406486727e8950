import type { ErrorObject } from 'ajv';

/** The lab schema's validator, Ajv's standalone code (scripts/lab-validator.mjs writes the .js). */
declare const validate: ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
export default validate;
