// Who pressed a button or ran a command, as far as permissions go.

export interface Caller {
  readonly userId: string;
  /** Holds Manage Messages where it happens (in a DM: the caller's own conversation). */
  readonly isModerator: boolean;
  /** Listed in ADMIN_USER_IDS. */
  readonly isAdmin: boolean;
}
