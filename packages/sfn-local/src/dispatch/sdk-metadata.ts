/**
 * The `SdkHttpMetadata` / `SdkResponseMetadata` members Step Functions adds to the results of its optimized
 * integrations (`lambda:invoke`, `dynamodb:*`, `sns:publish`, ...), rendered from the HTTP response headers.
 */
export interface SdkMetadataMembers {
  SdkHttpMetadata: {
    AllHttpHeaders: Record<string, string[]>;
    HttpHeaders: Record<string, string>;
    HttpStatusCode: number;
  };
  SdkResponseMetadata: { RequestId: string };
}

export function sdkHttpMetadata(
  headers: Readonly<Record<string, string>>,
  statusCode: number,
  requestId: string,
): SdkMetadataMembers {
  const all: Record<string, string[]> = {};
  const single: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    all[name] = [value];
    single[name] = value;
  }
  return {
    SdkHttpMetadata: { AllHttpHeaders: all, HttpHeaders: single, HttpStatusCode: statusCode },
    SdkResponseMetadata: { RequestId: requestId },
  };
}
