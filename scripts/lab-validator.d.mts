export declare const LAB_VALIDATOR_FILE: URL;
export declare function renderLabValidator(schema: Record<string, unknown>): string;
