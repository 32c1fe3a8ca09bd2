import { describe, expect, it } from 'vitest';
import { parseJsonPath, readJsonPath, targetPayload } from '../src/index.js';

const event = {
  version: '0',
  id: 'e-1',
  'detail-type': 'Purchase Agreement Created - Proposer',
  source: 'aws.agreement-marketplace',
  time: '2024-08-30T21:36:03Z',
  resources: ['arn:a', 'arn:b'],
  detail: { agreement: { id: 'agmt-1', note: 'say "hi"' }, count: 3 },
};
const rule = { ruleName: 'r', ruleArn: 'arn:aws:events:us-east-1:111122223333:rule/r' };

describe('target input', () => {
  it('parses EventBridge JSON paths', () => {
    expect(parseJsonPath('$.detail-type')).toEqual(['detail-type']);
    expect(parseJsonPath("$.resources[1]['x y']")).toEqual(['resources', 1, 'x y']);
    expect(readJsonPath(event, '$.resources[1]')).toBe('arn:b');
    expect(readJsonPath(event, '$.detail.missing.deeper')).toBeUndefined();
    expect(() => parseJsonPath('detail')).toThrow();
  });

  it('delivers the whole event, a constant Input, or the InputPath part', () => {
    expect(targetPayload({}, event, rule)).toBe(event);
    expect(targetPayload({ input: '{"fixed":true}' }, event, rule)).toEqual({ fixed: true });
    expect(targetPayload({ inputPath: '$.detail.agreement' }, event, rule)).toEqual(event.detail.agreement);
  });

  it('fills an InputTransformer template, escaping inside strings and inserting JSON outside', () => {
    const payload = targetPayload(
      {
        inputTransformer: {
          inputPathsMap: {
            id: '$.detail.agreement.id',
            note: '$.detail.agreement.note',
            n: '$.detail.count',
          },
          inputTemplate:
            '{"text": "agreement <id>: <note>", "count": <n>, "rule": "<aws.events.rule-name>", "raw": <aws.events.event.json>}',
        },
      },
      event,
      rule,
    );
    expect(payload).toEqual({ text: 'agreement agmt-1: say "hi"', count: 3, rule: 'r', raw: event });
  });

  it('delivers plain text when the template is not JSON', () => {
    const payload = targetPayload(
      {
        inputTransformer: {
          inputPathsMap: { id: '$.detail.agreement.id' },
          inputTemplate: 'agreement <id> created',
        },
      },
      event,
      rule,
    );
    expect(payload).toBe('agreement "agmt-1" created');
  });
});
