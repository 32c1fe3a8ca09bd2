/**
 * The role a Cognito user holds now (AdminListGroupsForUser), so a staff session ends when its person's group is
 * removed or the user is disabled or deleted, without waiting for the ID token's or the cookie's expiry.
 */
import {
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';

/** The user's group names, or undefined when the user is gone or disabled. */
export function cognitoGroups(
  userPoolId: string,
  client: CognitoIdentityProviderClient = new CognitoIdentityProviderClient({}),
): (username: string) => Promise<string[] | undefined> {
  return async (username) => {
    try {
      const user = await client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }));
      if (user.Enabled === false) return undefined;
      const groups: string[] = [];
      let NextToken: string | undefined;
      do {
        const page = await client.send(
          new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: username, NextToken }),
        );
        for (const g of page.Groups ?? []) if (g.GroupName) groups.push(g.GroupName);
        NextToken = page.NextToken;
      } while (NextToken);
      return groups;
    } catch (err) {
      if (err instanceof UserNotFoundException) return undefined;
      throw err;
    }
  };
}
