// The stand-in for "your auth" in docs/assistant.md's route: the user from the x-user header, the
// workspace `acme`. A real app reads its own session (Auth.js, Clerk, a signed cookie...).
export interface Session {
  readonly workspaceId: string;
  readonly userId: string;
}

export async function getSession(request: Request): Promise<Session | undefined> {
  const userId = request.headers.get('x-user');
  return userId === null ? undefined : { workspaceId: 'acme', userId };
}
