import type { ComponentChildren } from 'preact';
import { Layout, type NavLink } from '../layout.js';
import type { WebAssets } from '../web-assets.js';

export const PORTAL_HOME = { href: '/', label: '权责清单查询' };
export const PORTAL_NAV: NavLink[] = [
  { href: '/', label: '问一问' },
  { href: '/regions/320282', label: '按地区浏览' },
  { href: '/ledger/320282', label: '减负台账' },
];

/** A public page in the portal's frame. */
export function PortalPage({ assets, title, children }: { assets: WebAssets; title: string; children: ComponentChildren }) {
  return (
    <Layout title={title} stylesheet={assets.url('site.css')} nav={PORTAL_NAV} home={PORTAL_HOME}>
      {children}
    </Layout>
  );
}
