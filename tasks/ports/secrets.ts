/** Reads a secret's value by its id (the web app's session key: a Secrets Manager ARN on AWS). */
export type SecretReader = (secretId: string) => Promise<string>;
