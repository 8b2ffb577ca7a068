import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The six roles a person or integration can hold (the `system` actor is never an account). */
export const USER_ROLE_VALUES = ['operator', 'handler', 'coordinator', 'designer', 'auditor', 'admin'] as const;
export type UserRoleValue = (typeof USER_ROLE_VALUES)[number];

/**
 * A person who signs in. One role and one unit per account: someone with two duties has two accounts. The unit is
 * an org-tree id, checked in code (the tree is data that can change without a migration).
 */
@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Login name, unique; lower-case letters, digits, `.`, `_`, `-`. */
  @Column({ type: 'text', unique: true })
  username: string;

  @Column({ name: 'display_name', type: 'text' })
  displayName: string;

  /** `scrypt$N$r$p$salt$hash` (see apps/api/src/auth/password.ts). */
  @Column({ name: 'password_hash', type: 'text' })
  passwordHash: string;

  @Column({ type: 'text' })
  role: UserRoleValue;

  @Column({ name: 'unit_id', type: 'text' })
  unitId: string;

  /** An inactive account cannot log in, and its live tokens stop working. */
  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
