import { describe, expect, it } from 'vitest';
import {
  type IntrinsicContext,
  resolveIntrinsics,
  UnresolvableError,
} from '../../../local/stack/intrinsics.js';

const context: IntrinsicContext = {
  region: 'us-east-1',
  accountId: '123456789012',
  ref: (id) => `ref-of-${id}`,
  getAtt: (id, attribute) => `${attribute}-of-${id}`,
};

describe('resolveIntrinsics', () => {
  it('resolves a CDK state machine definition string', () => {
    const definition = {
      'Fn::Join': [
        '',
        [
          '{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:',
          { Ref: 'AWS::Partition' },
          ':states:::lambda:invoke","Arguments":{"FunctionName":"',
          { 'Fn::GetAtt': ['RecordInquiryFn12', 'Arn'] },
          '"},"End":true}}}',
        ],
      ],
    };
    const text = resolveIntrinsics(definition, context) as string;
    expect(JSON.parse(text).States.A).toEqual({
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Arguments: { FunctionName: 'Arn-of-RecordInquiryFn12' },
      End: true,
    });
  });

  it('resolves Fn::Sub with pseudo parameters, resources and its own variables', () => {
    expect(
      resolveIntrinsics(
        // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a JS template
        { 'Fn::Sub': ['arn:${AWS::Partition}:s3:::${Bucket}/${Key}/${Fn.Arn}', { Key: { Ref: 'K' } }] },
        context,
      ),
    ).toBe('arn:aws:s3:::ref-of-Bucket/ref-of-K/Arn-of-Fn');
  });

  it('resolves nested objects, Select and Split', () => {
    expect(
      resolveIntrinsics(
        { Env: { A: { 'Fn::Select': [1, { 'Fn::Split': ['/', 'a/b/c'] }] }, B: 2 } },
        context,
      ),
    ).toEqual({ Env: { A: 'b', B: 2 } });
  });

  it('refuses what it cannot resolve, naming it', () => {
    expect(() => resolveIntrinsics({ 'Fn::ImportValue': 'SharedExport' }, context)).toThrow(
      UnresolvableError,
    );
    expect(() => resolveIntrinsics({ 'Fn::ImportValue': 'SharedExport' }, context)).toThrow(/SharedExport/);
  });
});
