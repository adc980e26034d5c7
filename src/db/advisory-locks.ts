/**
 * Postgres advisory locks Tidehook takes, as the two-key form `pg_advisory_lock(ADVISORY_LOCK_SPACE, key)`: the
 * first key sets Tidehook's locks apart from any other application's in the same database, the second names the
 * use. In one place so that no two uses collide.
 */
export const ADVISORY_LOCK_SPACE = 0x7468_6b21; // "thk!"

export const ADVISORY_LOCKS = {
  /** Held while migrating, so processes starting together on a fresh database migrate one after another. */
  migrations: 1,
  /** Held while creating the `BOOTSTRAP_TOKEN` team and token, so two API processes do not both create them. */
  bootstrapToken: 2,
} as const;
