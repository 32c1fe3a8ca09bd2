/** The smallest handler: no AWS SDK, no dependencies (the floor of a cold import). */
export const handler = async (event: { name?: string }) => ({ hello: event.name ?? 'world' });
