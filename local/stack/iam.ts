/**
 * IAM enforcement in the local stack (docs/local-iam.md). Each function's role and the state machine's role are read
 * from the synthesized template (its AWS::IAM::Policy resources and inline policies, intrinsics resolved to local
 * names); a principal is named by its access key id, which is the logical id of the function or state machine whose
 * role it is. An authorizing proxy in front of each local service reads the caller's access key id from the SigV4
 * Authorization header, describes the call as IAM does (action, resource ARN, condition keys) and evaluates it with
 * local/iam/policy.ts: a call the role does not allow gets AccessDeniedException (S3: AccessDenied), as in AWS.
 * A request signed with any other key (the developer's tools, the tests, the simulator playing AWS itself) is the
 * operator's and is not restricted; an unsigned request (an emulator's own pages) passes through.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type AuthorizationRequest,
  assertEvaluable,
  type Decision,
  denialMessage,
  evaluate,
  PolicyDocument,
} from '../iam/policy.js';
import { type IntrinsicContext, resolveIntrinsics } from './intrinsics.js';
import type { CfnTemplate } from './template.js';

export interface Principal {
  /** The access key id its code signs with: the logical id of the function or state machine. */
  readonly accessKeyId: string;
  readonly roleLogicalId: string;
  /** `arn:aws:sts::<account>:assumed-role/<role>/<session>`, as AWS names the caller in a denial. */
  readonly sessionArn: string;
  readonly policies: readonly PolicyDocument[];
}

const roleRef = (value: unknown): string | undefined => {
  const att = (value as { 'Fn::GetAtt'?: unknown } | undefined)?.['Fn::GetAtt'];
  return Array.isArray(att) && att[1] === 'Arn' && typeof att[0] === 'string' ? att[0] : undefined;
};

/** The principals of the template: every Lambda function and state machine with a role of the template. */
export function principalsFromTemplate(
  template: CfnTemplate,
  context: IntrinsicContext,
): Map<string, Principal> {
  const resources = template.Resources ?? {};
  const policiesOf = new Map<string, PolicyDocument[]>();
  const add = (roleId: string, document: unknown) => {
    const parsed = PolicyDocument.parse(resolveIntrinsics(document, context));
    assertEvaluable(parsed);
    policiesOf.set(roleId, [...(policiesOf.get(roleId) ?? []), parsed]);
  };
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type === 'AWS::IAM::Role') {
      for (const inline of (r.Properties?.Policies ?? []) as { PolicyDocument: unknown }[])
        add(id, inline.PolicyDocument);
    } else if (r.Type === 'AWS::IAM::Policy') {
      for (const role of (r.Properties?.Roles ?? []) as { Ref?: string }[])
        if (role.Ref) add(role.Ref, r.Properties?.PolicyDocument);
    }
  }
  const principals = new Map<string, Principal>();
  for (const [id, r] of Object.entries(resources)) {
    const roleId =
      r.Type === 'AWS::Lambda::Function'
        ? roleRef(r.Properties?.Role)
        : r.Type === 'AWS::StepFunctions::StateMachine'
          ? roleRef(r.Properties?.RoleArn)
          : undefined;
    if (!roleId || resources[roleId]?.Type !== 'AWS::IAM::Role') continue;
    const roleName = (resources[roleId]?.Properties?.RoleName as string | undefined) ?? roleId;
    const session =
      (r.Properties?.FunctionName as string | undefined) ??
      (r.Properties?.StateMachineName as string | undefined) ??
      id;
    principals.set(id, {
      accessKeyId: id,
      roleLogicalId: roleId,
      sessionArn: `arn:aws:sts::${context.accountId}:assumed-role/${roleName}/${session}`,
      policies: policiesOf.get(roleId) ?? [],
    });
  }
  return principals;
}

export interface Denial {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly message: string;
}

export interface Authorizer {
  /** Undefined when allowed (or not a principal of the template); else AWS's denial message. */
  check(accessKeyId: string | undefined, requests: readonly AuthorizationRequest[]): Denial | undefined;
  /** Every denial so far, oldest first (what a run would have met in AWS). */
  readonly denials: readonly Denial[];
  /** Calls evaluated so far (allowed or not), by principal (access key id). */
  readonly evaluated: ReadonlyMap<string, number>;
}

export function createAuthorizer(principals: ReadonlyMap<string, Principal>): Authorizer {
  const denials: Denial[] = [];
  const evaluated = new Map<string, number>();
  return {
    denials,
    evaluated,
    check(accessKeyId, requests) {
      const principal = accessKeyId ? principals.get(accessKeyId) : undefined;
      if (!principal) return undefined;
      evaluated.set(principal.accessKeyId, (evaluated.get(principal.accessKeyId) ?? 0) + 1);
      for (const request of requests) {
        const decision: Decision = evaluate(principal.policies, request);
        if (decision.effect === 'Allow') continue;
        const denial = {
          principal: principal.accessKeyId,
          action: request.action,
          resource: request.resource,
          message: denialMessage(principal.sessionArn, request, decision),
        };
        denials.push(denial);
        return denial;
      }
      return undefined;
    },
  };
}

export interface CallInfo {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly target: string | undefined;
  readonly body: Buffer;
}

export interface Place {
  readonly region: string;
  readonly accountId: string;
  /** The stack's state machine: the resource of a task-token callback (SendTask*), which names no ARN. */
  readonly stateMachineArn: string;
}

const json = (body: Buffer): Record<string, unknown> => {
  try {
    const parsed = JSON.parse(body.toString('utf8') || '{}') as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** IAM's view of one call: the actions and resources it is authorized as (every one must be allowed). */
export function describeCall(service: string, call: CallInfo, place: Place): AuthorizationRequest[] {
  const { region, accountId } = place;
  const operation = call.target?.split('.').pop();
  const body = () => json(call.body);
  switch (service) {
    case 'dynamodb': {
      if (!operation) return [];
      const b = body();
      // A table is named by its name or its ARN.
      const table = (name: unknown, index?: unknown) =>
        `${String(name).startsWith('arn:') ? String(name) : `arn:aws:dynamodb:${region}:${accountId}:table/${String(name)}`}${index ? `/index/${String(index)}` : ''}`;
      if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') {
        const items = (b.TransactItems ?? []) as Record<string, { TableName?: string }>[];
        return items.flatMap((item) =>
          Object.entries(item).map(([kind, spec]) => ({
            action: `dynamodb:${kind === 'ConditionCheck' ? 'ConditionCheckItem' : `${kind}Item`}`,
            resource: table(spec.TableName),
          })),
        );
      }
      if (operation === 'BatchWriteItem' || operation === 'BatchGetItem')
        return Object.keys((b.RequestItems ?? {}) as object).map((name) => ({
          action: `dynamodb:${operation}`,
          resource: table(name),
        }));
      return [
        {
          action: `dynamodb:${operation}`,
          resource: b.TableName ? table(b.TableName, b.IndexName) : '*',
        },
      ];
    }
    case 'states': {
      if (!operation) return [];
      const b = body();
      const resource = /^SendTask/.test(operation)
        ? place.stateMachineArn
        : (str(b.executionArn) ?? str(b.stateMachineArn) ?? str(b.mapRunArn) ?? '*');
      return [{ action: `states:${operation}`, resource }];
    }
    case 'secretsmanager': {
      if (!operation) return [];
      const id = str(body().SecretId);
      const resource = !id
        ? '*'
        : id.startsWith('arn:')
          ? id
          : `arn:aws:secretsmanager:${region}:${accountId}:secret:${id}`;
      return [{ action: `secretsmanager:${operation}`, resource }];
    }
    case 'events': {
      if (!operation) return [];
      const entries = (body().Entries ?? []) as { EventBusName?: string }[];
      const buses = new Set(entries.map((e) => e.EventBusName ?? 'default'));
      if (buses.size === 0) buses.add('default');
      return [...buses].map((bus) => ({
        action: `events:${operation}`,
        resource: bus.startsWith('arn:') ? bus : `arn:aws:events:${region}:${accountId}:event-bus/${bus}`,
      }));
    }
    case 'ses': {
      // SES v2 (REST): POST /v2/email/outbound-emails is SendEmail, on the sending identity (the address or its domain).
      if (call.method === 'POST' && call.path === '/v2/email/outbound-emails') {
        const from = str(body().FromEmailAddress) ?? '';
        const address = from.match(/<([^>]+)>/)?.[1] ?? from.trim();
        const domain = address.split('@')[1] ?? address;
        return [
          {
            action: 'ses:SendEmail',
            resource: `arn:aws:ses:${region}:${accountId}:identity/${domain}`,
            // Either identity ARN would do in AWS; the domain identity is what the template verifies.
            context: { 'ses:FromAddress': address },
          },
        ];
      }
      return call.path.startsWith('/v2/')
        ? [{ action: `ses:${call.method}${call.path}`, resource: '*' }]
        : [];
    }
    case 's3': {
      const [, bucket, ...rest] = call.path.split('/');
      if (!bucket) return [{ action: 's3:ListAllMyBuckets', resource: '*' }];
      const key = decodeURIComponent(rest.join('/'));
      if (!key) {
        const action =
          call.method === 'GET'
            ? 's3:ListBucket'
            : call.method === 'PUT'
              ? 's3:CreateBucket'
              : `s3:${call.method}Bucket`;
        return [{ action, resource: `arn:aws:s3:::${bucket}` }];
      }
      const action =
        call.method === 'PUT' || call.method === 'POST'
          ? 's3:PutObject'
          : call.method === 'DELETE'
            ? 's3:DeleteObject'
            : 's3:GetObject';
      return [{ action, resource: `arn:aws:s3:::${bucket}/${key}` }];
    }
    case 'aws-marketplace': {
      if (operation) {
        // Entitlement, metering and agreement APIs (JSON protocol). The agreement keys: the seller is the proposer.
        const b = body();
        const filters = (b.filters ?? []) as { name?: string; values?: string[] }[];
        const filter = (name: string) => filters.find((f) => f.name === name)?.values;
        const context =
          operation === 'SearchAgreements'
            ? {
                'aws-marketplace:PartyType': filter('PartyType') ?? [],
                'aws-marketplace:AgreementType': filter('AgreementType') ?? [],
              }
            : /Agreement/.test(operation)
              ? {
                  'aws-marketplace:PartyType': 'Proposer',
                  'aws-marketplace:AgreementType': ['PurchaseAgreement'],
                }
              : undefined;
        return [{ action: `aws-marketplace:${operation}`, resource: '*', ...(context ? { context } : {}) }];
      }
      // Catalog API (REST): /StartChangeSet, /DescribeChangeSet, /DescribeEntity, ...
      const catalogOp = call.path.split('/')[1]?.split('?')[0] ?? '';
      const arn = (type: string, id: string) =>
        `arn:aws:aws-marketplace:${region}:${accountId}:AWSMarketplace/${type}/${id}`;
      if (catalogOp === 'StartChangeSet') {
        const changes = (body().ChangeSet ?? []) as {
          ChangeType?: string;
          Entity?: { Type?: string; Identifier?: string };
        }[];
        return changes.map((change) => ({
          action: 'aws-marketplace:StartChangeSet',
          resource: arn((change.Entity?.Type ?? '').split('@')[0] ?? '', change.Entity?.Identifier ?? '*'),
          context: { 'catalog:ChangeType': change.ChangeType ?? '' },
        }));
      }
      if (catalogOp === 'DescribeEntity') {
        const id = call.query.get('entityId') ?? '';
        const type = id.startsWith('offer-') ? 'Offer' : id.startsWith('prod-') ? 'SaaSProduct' : '*';
        return [{ action: 'aws-marketplace:DescribeEntity', resource: arn(type, id) }];
      }
      if (catalogOp === 'DescribeChangeSet')
        return [
          {
            action: 'aws-marketplace:DescribeChangeSet',
            resource: arn('ChangeSet', call.query.get('changeSetId') ?? ''),
          },
        ];
      return /^[A-Z]/.test(catalogOp) ? [{ action: `aws-marketplace:${catalogOp}`, resource: '*' }] : [];
    }
    default:
      return [];
  }
}

/** The caller's access key id and the signing service, from SigV4's Authorization header or presigned query. */
export function signer(
  headers: http.IncomingHttpHeaders,
  query: URLSearchParams,
): { accessKeyId: string; service: string } | undefined {
  const credential =
    String(headers.authorization ?? '').match(/Credential=([^,\s]+)/)?.[1] ??
    query.get('X-Amz-Credential') ??
    undefined;
  if (!credential) return undefined;
  const [accessKeyId, , , service] = credential.split('/');
  return accessKeyId && service ? { accessKeyId, service } : undefined;
}

function denialResponse(service: string, res: http.ServerResponse, message: string): void {
  if (service === 's3') {
    res.writeHead(403, { 'content-type': 'application/xml' });
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>${message.replace(/[<>&]/g, '')}</Message></Error>`,
    );
    return;
  }
  const body = JSON.stringify({ __type: 'AccessDeniedException', message, Message: message });
  res.writeHead(service === 'ses' || service === 'aws-marketplace' ? 403 : 400, {
    'content-type': 'application/x-amz-json-1.0',
    'x-amzn-errortype': 'AccessDeniedException',
  });
  res.end(body);
}

export interface IamProxy {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * An authorizing reverse proxy in front of one local service (`target`). `rewriteKey`: the access key id the
 * service itself accepts (s3rver knows only its own; SigV4 signatures are not verified there).
 */
export async function startIamProxy(options: {
  host: string;
  target: string;
  authorizer: Authorizer;
  place: Place;
  rewriteKey?: string;
}): Promise<IamProxy> {
  const target = new URL(options.target);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://local');
      const who = signer(req.headers, url.searchParams);
      let headers = req.headers;
      let path = req.url ?? '/';
      if (who) {
        const target = req.headers['x-amz-target'];
        const call = {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          target: typeof target === 'string' ? target : undefined,
          body,
        };
        const denial = options.authorizer.check(
          who.accessKeyId,
          describeCall(who.service, call, options.place),
        );
        if (denial) {
          denialResponse(who.service, res, denial.message);
          return;
        }
        if (options.rewriteKey) {
          const key = options.rewriteKey;
          headers = {
            ...headers,
            ...(headers.authorization
              ? { authorization: headers.authorization.replace(/Credential=[^/]+\//, `Credential=${key}/`) }
              : {}),
          };
          path = path.replace(/X-Amz-Credential=[^%&/]+(%2F|\/)/, `X-Amz-Credential=${key}$1`);
        }
      }
      const forward = http.request(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path,
          headers: { ...headers, host: target.host },
        },
        (upstream) => {
          res.writeHead(upstream.statusCode ?? 502, upstream.headers);
          upstream.pipe(res);
        },
      );
      forward.on('error', (error) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`local IAM proxy: ${error.message}`);
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
