export const PLATFORMS = ['slack', 'discord', 'console', 'http'] as const;
export type Platform = (typeof PLATFORMS)[number];

export const ROLES = ['sales_rep', 'revenue_manager', 'executive', 'pricing_admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who asked: every decision on record names its actor. */
export interface Actor {
  platform: Platform;
  userId: string;
  name: string;
  role: Role;
}
