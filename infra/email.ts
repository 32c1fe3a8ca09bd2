/** The SES identity the e-mails are sent from (a domain with Easy DKIM, or one verified address). */
import { CfnOutput } from 'aws-cdk-lib';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

export class EmailSender extends Construct {
  readonly identity: ses.EmailIdentity;
  /** `arn:…:ses:<region>:<account>:identity/<domain or address>`: what SendEmail is granted on. */
  readonly identityArn: string;

  constructor(scope: Construct, id: string, props: { readonly sesIdentity: string }) {
    super(scope, id);
    const isAddress = props.sesIdentity.includes('@');
    this.identity = new ses.EmailIdentity(this, 'Identity', {
      identity: isAddress ? ses.Identity.email(props.sesIdentity) : ses.Identity.domain(props.sesIdentity),
    });
    this.identityArn = this.identity.emailIdentityArn;
    if (!isAddress) {
      this.identity.dkimRecords.forEach((record, i) => {
        new CfnOutput(this, `DkimRecord${i + 1}`, {
          description: `DKIM CNAME ${i + 1} to add to the DNS of ${props.sesIdentity}`,
          value: `${record.name} CNAME ${record.value}`,
        });
      });
    }
  }
}
