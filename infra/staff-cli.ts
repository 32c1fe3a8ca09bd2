/**
 * The staff CLI in AWS acts as the caller's IAM identity (issue 10 item 6): one IAM role per staff role, assumable by
 * principals of this account that an administrator allows (the trust policy names the account; IAM policies or IAM
 * Identity Center permission sets decide who may assume which). The CLI asks STS who it runs as
 * (GetCallerIdentity) and records `<session name>` as the actor, with the role this construct maps the IAM role to;
 * an identity that assumed none of these roles may not use the CLI. The permissions are those of
 * workflows/contracts/permissions.ts STAFF_CLI_ACCESS, through the same statements as the functions'.
 */
import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { STAFF_ROLES, type StaffRole } from '../workflows/contracts/actor.js';
import { STAFF_CLI_ACCESS } from '../workflows/contracts/permissions.js';
import { type AccessTargets, statementsFor } from './access.js';

export class StaffCliRoles extends Construct {
  readonly roles: Record<StaffRole, iam.Role>;

  constructor(scope: Construct, id: string, props: { targets: AccessTargets }) {
    super(scope, id);
    const account = Stack.of(this).account;
    this.roles = {} as Record<StaffRole, iam.Role>;
    for (const role of STAFF_ROLES) {
      const r = new iam.Role(this, `Cli-${role}`, {
        assumedBy: new iam.AccountPrincipal(account),
        description: `Staff CLI (npm run onboarding) as ${role}; the session name is recorded as the actor`,
        maxSessionDuration: Duration.hours(12),
      });
      for (const access of STAFF_CLI_ACCESS[role])
        for (const statement of statementsFor(r, access, props.targets)) r.addToPolicy(statement);
      this.roles[role] = r;
    }
    // STAFF_CLI_ROLES for the CLI: { "sales": "<IAM role name>", ... }
    new CfnOutput(scope, 'StaffCliRoles', {
      value: Stack.of(this).toJsonString(
        Object.fromEntries(STAFF_ROLES.map((role) => [role, this.roles[role].roleName])),
      ),
      description: 'STAFF_CLI_ROLES for the staff CLI: the IAM role to assume for each staff role',
    });
  }
}
