import { describe, expect, it } from 'vitest';
import { actorOf, auditRows, toCsv } from '../../../tasks/domain/audit.js';
import { REDACTED, redactTokens } from '../../../tasks/domain/redact.js';

const TOKEN = 'AQB8AAAAKgAAAAMAAAAAsecret-token';

describe('redactTokens', () => {
  it('removes task tokens from objects and from JSON held in strings', () => {
    const event = {
      type: 'TaskScheduled',
      details: {
        parameters: JSON.stringify({
          FunctionName: 'open-human-task',
          Payload: { taskToken: TOKEN, stage: 'Consultation' },
        }),
        nested: [{ TaskToken: TOKEN }],
      },
    };
    const out = redactTokens(event);
    expect(JSON.stringify(out)).not.toContain(TOKEN);
    expect(JSON.parse(out.details.parameters).Payload).toEqual({
      taskToken: REDACTED,
      stage: 'Consultation',
    });
    expect(out.details.nested[0]?.TaskToken).toBe(REDACTED);
    expect(JSON.stringify(event)).toContain(TOKEN); // the input is not changed
  });

  it('also removes them from JSON cut short and from payloads quoted in text (escaped or not)', () => {
    const parameters = JSON.stringify({ Payload: { stage: 'Registration', taskToken: TOKEN } });
    const details = {
      parameters: parameters.slice(0, -3), // truncated: no longer parses
      cause: `open-human-task: invalid input ${JSON.stringify({ errorMessage: parameters })}`,
      error: 'x-amzn-marketplace-token "x-amzn-marketplace-token": "mp-token-value" left',
    };

    const out = redactTokens(details);

    expect(JSON.stringify(out)).not.toContain(TOKEN);
    expect(out.parameters).toContain(`"taskToken":"${REDACTED}`);
    expect(out.cause).toContain(`\\"taskToken\\":\\"${REDACTED}\\"`);
    expect(out.error).not.toContain('mp-token-value');
    expect(redactTokens('no tokens here: {"stage":"Registration"')).toBe(
      'no tokens here: {"stage":"Registration"',
    );
  });
});

describe('audit rows', () => {
  const events = [
    {
      id: 1,
      timestamp: '2025-04-01T00:00:00.000Z',
      type: 'ExecutionStarted',
      details: { input: '{"actor":{"kind":"system","id":"web"}}' },
    },
    {
      id: 2,
      previousEventId: 1,
      timestamp: '2025-04-01T00:00:01.000Z',
      type: 'TaskStateEntered',
      details: { name: 'Consultation', input: '{}' },
    },
    {
      id: 3,
      previousEventId: 2,
      timestamp: '2025-04-02T00:00:00.000Z',
      type: 'TaskSucceeded',
      details: {
        output: JSON.stringify({
          actor: { kind: 'staff', id: 'sato', role: 'sales' },
          plan: '=HYPERLINK("x")',
          taskToken: TOKEN,
        }),
      },
    },
  ];

  it('names the stage and the actor of each event, without tokens', () => {
    const rows = auditRows(
      'onb-abcdefghij',
      'arn:aws:states:us-east-1:1:execution:sm:onb-abcdefghij',
      events,
    );
    expect(rows.map((r) => [r.eventId, r.stage, r.actor])).toEqual([
      [1, '', 'system:web'],
      [2, 'Consultation', ''],
      [3, 'Consultation', 'staff:sato'],
    ]);
    expect(JSON.stringify(rows)).not.toContain(TOKEN);
    expect(actorOf(undefined)).toBe('');
  });

  it('exports CSV with quoting', () => {
    const csv = toCsv(auditRows('onb-abcdefghij', 'arn:x', events));
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('onboardingId,executionArn,eventId,timestamp,type,stage,actor,details');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toContain('"{""output"":');
    expect(csv).not.toContain(TOKEN);
  });

  it('neutralises spreadsheet formulas in cells', () => {
    const csv = toCsv([
      {
        onboardingId: '=cmd()',
        executionArn: 'a',
        eventId: 1,
        timestamp: 't',
        type: 'x',
        stage: '',
        actor: '',
        details: '',
      },
    ]);
    expect(csv.split('\r\n')[1]?.startsWith("'=cmd()")).toBe(true);
  });
});
