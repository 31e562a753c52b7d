// The Cognito user pool behind the API's default auth mode: groups from the wiring, a strong
// password policy, the Plus feature plan with threat protection enforced, and one public client.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { acknowledge } from './nag.ts';
import { Construct } from 'constructs';
import { api } from '../wiring.ts';
import { pascalCase } from './names.ts';

export class BookingUserPool extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;

  constructor(scope: Construct, id: string, props: { removalPolicy: RemovalPolicy }) {
    super(scope, id);
    this.userPool = new UserPool(this, 'Pool', {
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      autoVerify: { email: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: props.removalPolicy === RemovalPolicy.RETAIN,
      removalPolicy: props.removalPolicy,
    });
    for (const group of api.userPoolGroups) {
      this.userPool.addGroup(`${pascalCase(group)}Group`, { groupName: group });
    }
    // A browser/mobile client: SRP sign-in, no secret a public client could not keep. No OAuth:
    // there is no hosted UI, and CDK's default would enable the implicit grant for example.com.
    this.client = this.userPool.addClient('WebClient', {
      authFlows: { userSrp: true },
      disableOAuth: true,
      generateSecret: false,
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });
    acknowledge(this.userPool, 'AwsSolutions-COG2', 'Customers sign up themselves; MFA (TOTP) is offered, requiring it would block the public booking flow.');
  }
}
