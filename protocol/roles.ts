import * as z from "zod";

export const ROLES = ["Student", "Teacher"] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;
