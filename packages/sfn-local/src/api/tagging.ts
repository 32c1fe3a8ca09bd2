/** TagResource, UntagResource, ListTagsForResource on state machines and activities (see ./tags.ts for the limits). */
import type * as sfn from '@aws-sdk/client-sfn';
import { type ApiContext, apiError, requireString } from './context.js';
import type { Resources } from './records.js';
import { checkTagCount, tagList, tagMap } from './tags.js';

interface Taggable {
  tags: Record<string, string>;
  save(): void;
}

export class Tagging {
  constructor(
    private readonly ctx: ApiContext,
    private readonly res: Resources,
  ) {}

  #find(resourceArn: unknown): { arn: string; target: Taggable } {
    const arn = requireString(resourceArn, 'resourceArn');
    const sm = this.ctx.store.getStateMachine(arn);
    if (sm) return { arn, target: { tags: sm.tags, save: () => this.ctx.store.putStateMachine(sm) } };
    const activity = this.res.get('activity', arn);
    if (activity)
      return { arn, target: { tags: activity.tags, save: () => this.res.put('activity', activity) } };
    throw apiError('ResourceNotFound', `Resource not found: '${arn}'`);
  }

  tagResource(input: sfn.TagResourceInput): sfn.TagResourceOutput {
    const { arn, target } = this.#find(input.resourceArn);
    const merged = { ...target.tags, ...tagMap(input.tags) };
    checkTagCount(merged, arn);
    Object.assign(target.tags, merged);
    target.save();
    return {};
  }

  untagResource(input: sfn.UntagResourceInput): sfn.UntagResourceOutput {
    const { target } = this.#find(input.resourceArn);
    for (const key of input.tagKeys ?? []) delete target.tags[key];
    target.save();
    return {};
  }

  listTagsForResource(input: sfn.ListTagsForResourceInput): sfn.ListTagsForResourceOutput {
    return { tags: tagList(this.#find(input.resourceArn).target.tags) };
  }
}
