import { describe, expect, it } from 'vitest';
import { compileEventPattern, InvalidEventPatternError, matchesEventPattern } from '../src/index.js';

// The EC2 example event of the EventBridge user guide, used by most documented patterns.
const ec2 = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: {
    'instance-id': 'i-1234567890abcdef0',
    state: 'terminated',
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.123',
    tags: ['prod', 'web'],
    empty: null,
    blank: '',
    nested: { inner: { deep: 'yes' } },
  },
};

// The agreement event AWS Marketplace sends on a purchase (real shape).
const agreementCreated = {
  version: '0',
  id: '84a4f48b-44a8-0b77-c2a7-6448b8e6de3d',
  'detail-type': 'Purchase Agreement Created - Proposer',
  source: 'aws.agreement-marketplace',
  account: '993604559884',
  time: '2026-08-20T14:23:22Z',
  region: 'us-east-1',
  resources: ['arn:aws:aws-marketplace::aws:agreement:agmt-2nehijlqfz9g7f2v6imgyjhmu'],
  detail: {
    offer: { id: 'offer-uovnpk2f6jq7s' },
    acceptor: { accountId: '782858285006' },
    agreement: { id: 'agmt-2nehijlqfz9g7f2v6imgyjhmu', intent: 'NEW', status: 'ACTIVE' },
    resaleAuthorization: { id: null },
  },
};

// Array consistency: fields of one array element must match together.
const withItems = {
  source: 'app',
  detail: {
    items: [
      { kind: 'book', price: 10 },
      { kind: 'pen', price: 2 },
    ],
  },
};

type Row = [name: string, pattern: Record<string, unknown>, event: unknown, expected: boolean];

const rows: Row[] = [
  ['exact source', { source: ['aws.ec2'] }, ec2, true],
  ['exact source, other value', { source: ['aws.s3'] }, ec2, false],
  ['one of several values', { source: ['aws.s3', 'aws.ec2'] }, ec2, true],
  ['exact is case-sensitive', { source: ['AWS.EC2'] }, ec2, false],
  [
    'detail-type and nested detail',
    { 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['terminated'] } },
    ec2,
    true,
  ],
  ['nested field mismatch', { detail: { state: ['running'] } }, ec2, false],
  ['deeply nested', { detail: { nested: { inner: { deep: ['yes'] } } } }, ec2, true],
  ['field absent', { detail: { colour: ['red'] } }, ec2, false],
  ['number literal', { detail: { 'c-count': [5] } }, ec2, true],
  ['number literal vs string value', { detail: { 'c-count': ['5'] } }, ec2, false],
  ['null literal', { detail: { empty: [null] } }, ec2, true],
  ['empty string literal', { detail: { blank: [''] } }, ec2, true],
  ['empty string vs null', { detail: { empty: [''] } }, ec2, false],
  ['array value: any element', { detail: { tags: ['web'] } }, ec2, true],
  ['array value: none', { detail: { tags: ['dev'] } }, ec2, false],
  ['resources array', { resources: [{ prefix: 'arn:aws:ec2:us-west-1:' }] }, ec2, true],
  ['prefix', { 'detail-type': [{ prefix: 'EC2 Instance' }] }, ec2, true],
  ['prefix miss', { 'detail-type': [{ prefix: 'EC3' }] }, ec2, false],
  ['prefix ignore case', { source: [{ prefix: { 'equals-ignore-case': 'AWS.' } }] }, ec2, true],
  ['suffix', { resources: [{ suffix: 'abcdef0' }] }, ec2, true],
  ['suffix miss', { resources: [{ suffix: '.png' }] }, ec2, false],
  ['suffix ignore case', { resources: [{ suffix: { 'equals-ignore-case': 'ABCDEF0' } }] }, ec2, true],
  ['equals-ignore-case', { detail: { state: [{ 'equals-ignore-case': 'TERMINATED' }] } }, ec2, true],
  ['equals-ignore-case miss', { detail: { state: [{ 'equals-ignore-case': 'RUNNING' }] } }, ec2, false],
  ['anything-but value', { detail: { state: [{ 'anything-but': 'initializing' }] } }, ec2, true],
  ['anything-but value (excluded)', { detail: { state: [{ 'anything-but': 'terminated' }] } }, ec2, false],
  ['anything-but list', { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, ec2, true],
  [
    'anything-but list (excluded)',
    { detail: { state: [{ 'anything-but': ['stopped', 'terminated'] }] } },
    ec2,
    false,
  ],
  ['anything-but numbers', { detail: { 'c-count': [{ 'anything-but': [1, 2, 3] }] } }, ec2, true],
  ['anything-but prefix', { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, ec2, true],
  [
    'anything-but prefix (excluded)',
    { detail: { state: [{ 'anything-but': { prefix: 'term' } }] } },
    ec2,
    false,
  ],
  [
    'anything-but suffix (excluded)',
    { detail: { state: [{ 'anything-but': { suffix: 'nated' } }] } },
    ec2,
    false,
  ],
  [
    'anything-but ignore case (excluded)',
    { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['TERMINATED'] } }] } },
    ec2,
    false,
  ],
  [
    'anything-but wildcard (excluded)',
    { detail: { state: [{ 'anything-but': { wildcard: 'term*' } }] } },
    ec2,
    false,
  ],
  [
    'anything-but does not match an absent field',
    { detail: { colour: [{ 'anything-but': 'red' }] } },
    ec2,
    false,
  ],
  [
    'anything-but on array: some other element',
    { detail: { tags: [{ 'anything-but': 'prod' }] } },
    ec2,
    true,
  ],
  ['numeric range', { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } }, ec2, true],
  [
    'numeric range (outside)',
    { detail: { 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ numeric: ['>=', 302] }] } },
    ec2,
    false,
  ],
  ['numeric equals', { detail: { 'x-limit': [{ numeric: ['=', 301.8] }] } }, ec2, true],
  ['numeric vs string value', { detail: { state: [{ numeric: ['>', 0] }] } }, ec2, false],
  ['exists true', { detail: { state: [{ exists: true }] } }, ec2, true],
  ['exists true, absent', { detail: { colour: [{ exists: true }] } }, ec2, false],
  ['exists false, absent', { detail: { colour: [{ exists: false }] } }, ec2, true],
  ['exists false, present', { detail: { state: [{ exists: false }] } }, ec2, false],
  ['exists only on leaves (object is no leaf)', { detail: { nested: [{ exists: true }] } }, ec2, false],
  ['exists true on null value', { detail: { empty: [{ exists: true }] } }, ec2, true],
  ['exists false with missing parent', { detail: { missing: { child: [{ exists: false }] } } }, ec2, true],
  ['wildcard', { resources: [{ wildcard: 'arn:aws:ec2:*:instance/i-*' }] }, ec2, true],
  ['wildcard miss', { resources: [{ wildcard: 'arn:aws:s3:*' }] }, ec2, false],
  ['wildcard escaped star', { source: [{ wildcard: 'aws\\*' }] }, ec2, false],
  ['wildcard with dots is literal', { source: [{ wildcard: 'aws.e*' }] }, ec2, true],
  ['cidr', { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, ec2, true],
  ['cidr miss', { detail: { 'source-ip': [{ cidr: '10.0.1.0/24' }] } }, ec2, false],
  ['mixed matchers in one array', { detail: { state: ['running', { prefix: 'term' }] } }, ec2, true],
  [
    '$or first branch',
    {
      source: ['aws.ec2'],
      $or: [{ detail: { 'c-count': [{ numeric: ['>', 10] }] } }, { detail: { state: ['terminated'] } }],
    },
    ec2,
    true,
  ],
  ['$or no branch', { $or: [{ source: ['aws.s3'] }, { detail: { state: ['running'] } }] }, ec2, false],
  ['$or nested inside detail', { detail: { $or: [{ state: ['x'] }, { 'c-count': [5] }] } }, ec2, true],
  [
    'marketplace rule',
    {
      source: ['aws.agreement-marketplace'],
      'detail-type': ['Purchase Agreement Created - Proposer', 'Purchase Agreement Ended - Proposer'],
    },
    agreementCreated,
    true,
  ],
  [
    'marketplace by acceptor',
    { detail: { acceptor: { accountId: ['782858285006'] }, agreement: { intent: ['NEW'] } } },
    agreementCreated,
    true,
  ],
  ['null in nested', { detail: { resaleAuthorization: { id: [null] } } }, agreementCreated, true],
  [
    'array consistency: same element',
    { detail: { items: { kind: ['book'], price: [10] } } },
    withItems,
    true,
  ],
  [
    'array consistency: across elements',
    { detail: { items: { kind: ['book'], price: [2] } } },
    withItems,
    false,
  ],
  ['array of objects, any element', { detail: { items: { kind: ['pen'] } } }, withItems, true],
];

describe('event patterns (EventBridge content filtering)', () => {
  it.each(rows)('%s', (_name, pattern, event, expected) => {
    // Act
    const result = matchesEventPattern(pattern, event);
    // Assess
    expect(result).toBe(expected);
  });

  it('accepts the pattern as JSON text, as in a template', () => {
    const matches = compileEventPattern(JSON.stringify({ source: ['aws.ec2'] }));
    expect(matches(ec2)).toBe(true);
  });

  it('matches IPv6 CIDR blocks', () => {
    const pattern = { ip: [{ cidr: '2001:db8::/32' }] };
    expect(matchesEventPattern(pattern, { ip: '2001:db8:0:1::42' })).toBe(true);
    expect(matchesEventPattern(pattern, { ip: '2001:db9::1' })).toBe(false);
    expect(matchesEventPattern(pattern, { ip: '10.0.0.1' })).toBe(false);
  });

  it.each([
    ['not an object', ['aws.ec2']],
    ['empty pattern', {}],
    ['leaf not in an array', { source: 'aws.ec2' }],
    ['empty array', { source: [] }],
    ['unknown operator', { source: [{ 'starts-with': 'aws' }] }],
    ['two operators in one object', { source: [{ prefix: 'a', suffix: 'b' }] }],
    ['exists takes a boolean', { source: [{ exists: 'yes' }] }],
    ['numeric operator unknown', { n: [{ numeric: ['~', 1] }] }],
    ['numeric range upside down', { n: [{ numeric: ['>', 5, '<', 1] }] }],
    ['numeric operand not a number', { n: [{ numeric: ['>', '1'] }] }],
    ['consecutive wildcards', { s: [{ wildcard: 'a**b' }] }],
    ['bad cidr', { ip: [{ cidr: '10.0.0.0/40' }] }],
    ['$or with one branch', { $or: [{ source: ['a'] }] }],
    ['anything-but empty list', { s: [{ 'anything-but': [] }] }],
    ['anything-but unknown operator', { s: [{ 'anything-but': { numeric: ['>', 1] } }] }],
  ])('rejects an invalid pattern: %s', (_name, pattern) => {
    expect(() => compileEventPattern(pattern)).toThrow(InvalidEventPatternError);
  });

  it('names the offending place in the error', () => {
    expect(() => compileEventPattern({ detail: { state: ['a', { prefix: 1 }] } })).toThrow(
      /\$\.detail\.state\[1\]\.prefix/,
    );
  });
});
