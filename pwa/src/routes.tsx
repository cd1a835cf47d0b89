import type { ComponentChildren } from 'preact';
import { AdminDevicesPage } from './admin/devices-page.tsx';
import { GroupsPage } from './admin/groups-page.tsx';
import { IntegrationsPage } from './admin/integrations-page.tsx';
import { PolicyEditPage } from './admin/policy-edit-page.tsx';
import { PoliciesPage } from './admin/policies-page.tsx';
import { UsersPage } from './admin/users-page.tsx';
import type { Role } from './api/types.ts';
import { LoginPage } from './auth/login-page.tsx';
import { RegisterPage } from './auth/register-page.tsx';
import { AuditPage } from './auditor/audit-page.tsx';
import { CatalogPage } from './employee/catalog-page.tsx';
import { EnrollPage } from './employee/enroll-page.tsx';
import { HomePage } from './employee/home-page.tsx';
import { PasskeysPage } from './employee/passkeys-page.tsx';
import { TransparencyPage } from './employee/transparency-page.tsx';

export interface Route {
  path: string;
  access: 'public' | Role[];
  view(params: Record<string, string>): ComponentChildren;
}

const ANY: Role[] = ['employee', 'admin', 'auditor'];

/** Every screen of the app; first match wins. */
export const ROUTES: Route[] = [
  { path: '/setup', access: 'public', view: () => <RegisterPage kind="setup" /> },
  { path: '/invite', access: 'public', view: () => <RegisterPage kind="invite" /> },
  { path: '/enroll', access: 'public', view: () => <EnrollPage /> },
  { path: '/login', access: 'public', view: () => <LoginPage /> },
  { path: '/', access: ['employee'], view: () => <HomePage /> },
  { path: '/apps', access: ANY, view: () => <CatalogPage /> },
  { path: '/transparency', access: ANY, view: () => <TransparencyPage /> },
  { path: '/passkeys', access: ANY, view: () => <PasskeysPage /> },
  { path: '/admin/policies', access: ['admin'], view: () => <PoliciesPage /> },
  { path: '/admin/policies/new', access: ['admin'], view: () => <PolicyEditPage id={null} /> },
  { path: '/admin/policies/:id', access: ['admin'], view: (p) => <PolicyEditPage id={p.id!} /> },
  { path: '/admin/groups', access: ['admin'], view: () => <GroupsPage /> },
  { path: '/admin/devices', access: ['admin'], view: () => <AdminDevicesPage /> },
  { path: '/admin/users', access: ['admin'], view: () => <UsersPage /> },
  { path: '/admin/integrations', access: ['admin'], view: () => <IntegrationsPage /> },
  { path: '/audit', access: ['auditor', 'admin'], view: () => <AuditPage /> },
];
