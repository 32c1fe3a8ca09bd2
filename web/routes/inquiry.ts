/** Step 1: the inquiry form (Japanese and English) that starts an onboarding, and its confirmation page. */

import { html } from 'hono/html';
import { Hono } from 'hono/tiny';
import { fieldMessage } from '../../tasks/domain/field-messages.js';
import * as uc from '../../tasks/use-cases/index.js';
import { BuyerActor, type Locale, OnboardingId } from '../../workflows/contracts/index.js';
import type { AppEnv, WebDeps } from '../env.js';
import { formStrings, issuesToErrors, optional } from '../forms/errors.js';
import type { Html } from '../html/layout.js';
import { csrfField, type FieldErrors, field, notice, publicPage, select, textarea } from '../html/layout.js';
import { t } from '../i18n.js';
import { clientAddress } from '../security/client.js';
import { csrfToken, requireCsrf } from '../security/csrf.js';
import { mac, safeEqual } from '../security/signed.js';

const ANON = 'anon';
const REF_PURPOSE = 'inquiry-ref';

/**
 * Each rendered form carries the id of the onboarding it will start, signed: a double click (or a resent POST) starts
 * that one execution once (StartExecution by name), and the second submission gets the same confirmation.
 */
function signRef(secret: string, onboardingId: string): string {
  return `${onboardingId}.${mac(secret, REF_PURPOSE, onboardingId)}`;
}

function verifyRef(secret: string, value: string | undefined): string | undefined {
  const [id, sig, ...rest] = (value ?? '').split('.');
  if (!id || !sig || rest.length > 0 || !OnboardingId.safeParse(id).success) return undefined;
  return safeEqual(sig, mac(secret, REF_PURPOSE, id)) ? id : undefined;
}

/**
 * A live onboarding has the same account and e-mail: a question to the buyer (not an error), asked at the top of the
 * form with its answer beside it, so ticking it and sending again is the way on.
 */
function duplicateQuestion(L: (key: 'inquiry.duplicate' | 'inquiry.duplicateConfirm') => string): Html {
  return html`<div class="notice question" role="status" id="duplicate-question" data-duplicate-question>
<p>${L('inquiry.duplicate')}</p>
<label class="check"><input type="checkbox" name="confirmDuplicate" value="yes" aria-describedby="duplicate-question"> ${L('inquiry.duplicateConfirm')}</label>
</div>`;
}

function inquiryForm(opts: {
  locale: Locale;
  csrf: string;
  /** signRef of the onboarding id this form starts */
  ref: string;
  plans: readonly string[];
  values: Record<string, string>;
  errors: FieldErrors;
  /** A live onboarding has the same account and e-mail: ask whether this is another request. */
  askDuplicate?: boolean;
}): Html {
  const { locale, values, errors } = opts;
  const L = (key: Parameters<typeof t>[1]) => t(locale, key);
  return html`<h1>${L('inquiry.title')}</h1>
<p>${L('inquiry.lead')}</p>
${errors._form ? notice('bad', errors._form) : Object.keys(errors).length > 0 ? notice('bad', L('inquiry.invalid')) : ''}
<form method="post" action="/inquiry" class="card" novalidate>
${opts.askDuplicate ? duplicateQuestion(L) : ''}
${csrfField(opts.csrf)}
<input type="hidden" name="locale" value="${locale}">
<input type="hidden" name="ref" value="${opts.ref}">
<input type="hidden" name="timeZone" value="${values.timeZone ?? ''}" data-time-zone>
${field({ name: 'company', label: L('inquiry.company'), value: values.company, errors, required: true, attrs: html` maxlength="200" autocomplete="organization"` })}
${field({ name: 'contactName', label: L('inquiry.contactName'), value: values.contactName, errors, required: true, attrs: html` maxlength="200" autocomplete="name"` })}
${field({ name: 'email', label: L('inquiry.email'), value: values.email, errors, type: 'email', required: true, attrs: html` autocomplete="email"` })}
${field({ name: 'awsAccountId', label: L('inquiry.awsAccountId'), value: values.awsAccountId, errors, required: true, attrs: html` inputmode="numeric" maxlength="20"` })}
${select({
  name: 'plan',
  label: L('inquiry.plan'),
  value: values.plan,
  errors,
  required: true,
  options: [['', '—'], ...opts.plans.map((p) => [p, p] as const)],
})}
${textarea({ name: 'message', label: L('inquiry.message'), value: values.message, errors, optionalLabel: L('field.optional') })}
<button type="submit">${L('inquiry.submit')}</button>
</form>`;
}

export function inquiryRoutes(deps: WebDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { config, ports } = deps;

  app.get('/', (c) => {
    const locale = c.get('locale');
    const body = inquiryForm({
      locale,
      csrf: csrfToken(c, config, ANON),
      ref: signRef(config.sessionSecret, ports.ids.onboardingId()),
      plans: config.plans,
      values: {},
      errors: {},
    });
    return c.html(publicPage({ locale, path: '/inquiry', title: t(locale, 'inquiry.title'), body }));
  });

  app.post(
    '/',
    requireCsrf(config, () => ANON),
    async (c) => {
      const values = formStrings(await c.req.parseBody());
      const locale: Locale = values.locale === 'en' ? 'en' : values.locale === 'ja' ? 'ja' : c.get('locale');
      // a form without a valid ref (an old page, a script) starts a new onboarding each time, as before
      const ref = verifyRef(config.sessionSecret, values.ref);
      const client = clientAddress(c);
      const render400 = (errors: FieldErrors, status: 400 | 409 | 429 = 400) => {
        const body = inquiryForm({
          locale,
          csrf: csrfToken(c, config, ANON),
          ref: signRef(config.sessionSecret, ref ?? ports.ids.onboardingId()),
          plans: config.plans,
          values,
          errors,
          askDuplicate: status === 409,
        });
        return c.html(
          publicPage({ locale, path: '/inquiry', title: t(locale, 'inquiry.title'), body }),
          status,
        );
      };
      if (values.plan !== undefined && values.plan !== '' && !config.plans.includes(values.plan)) {
        return render400({
          plan: fieldMessage(locale, { path: 'plan', message: 'not a listed plan', kind: 'one_of' }),
        });
      }
      const email = values.email?.trim();
      const awsAccountId = values.awsAccountId?.trim();
      const result = await uc.startOnboarding(ports, {
        inquiry: {
          company: values.company,
          contactName: values.contactName,
          email,
          awsAccountId,
          plan: values.plan,
          message: optional(values.message),
          locale,
          timeZone: optional(values.timeZone),
        },
        // the buyer is known by the e-mail they gave until the marketplace confirms their AWS account
        actor: BuyerActor.safeParse({ kind: 'buyer', id: email, email }).data ?? {
          kind: 'buyer',
          id: 'anonymous',
        },
        ...(ref ? { onboardingId: ref } : {}),
        ...(client ? { client } : {}),
        allowDuplicate: values.confirmDuplicate === 'yes',
      });
      if (!result.ok) {
        if (result.error === 'invalid-input')
          return render400(issuesToErrors(result.issues, { locale, values }));
        if (result.error === 'rate-limited') {
          c.header('retry-after', String(result.retryAfterSeconds));
          const minutes = String(Math.ceil(result.retryAfterSeconds / 60));
          return render400({ _form: t(locale, 'inquiry.rateLimited').replace('{minutes}', minutes) }, 429);
        }
        // a question, not an error: the form asks it with its answer (duplicateQuestion)
        if (result.error === 'possible-duplicate') return render400({}, 409);
        // this form was already sent (double click, resent POST): the onboarding it started is the answer
        if (!ref) return render400({ _form: t(locale, 'inquiry.invalid') });
      }
      const { onboardingId } = result;
      return c.redirect(`/inquiry/thanks?ref=${encodeURIComponent(onboardingId)}&lang=${locale}`, 303);
    },
  );

  app.get('/thanks', (c) => {
    const locale = c.get('locale');
    const ref = OnboardingId.safeParse(c.req.query('ref'));
    const body = html`<h1>${t(locale, 'inquiry.done.title')}</h1>
${notice('ok', html`${t(locale, 'inquiry.done.body')} <strong>${ref.success ? ref.data : '—'}</strong>`)}`;
    const path = ref.success ? `/inquiry/thanks?ref=${ref.data}` : '/inquiry/thanks';
    return c.html(publicPage({ locale, path, title: t(locale, 'inquiry.done.title'), body }));
  });

  return app;
}
