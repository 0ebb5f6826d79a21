import type { ComponentChildren } from 'preact';

export interface NavLink {
  href: string;
  label: string;
}

export interface LayoutProps {
  /** The page's own title; the site name is appended. */
  title: string;
  /** Hashed URL of the stylesheet (WebAssets.url('site.css')). */
  stylesheet: string;
  nav: NavLink[];
  /** Where the site title links to: the portal's home or the console's dashboard. */
  home: { href: string; label: string };
  scripts?: string[];
  children: ComponentChildren;
}

/** The frame of every page: a skip link, the red header with the site's name and navigation, the content, a footer. */
export function Layout({ title, stylesheet, nav, home, scripts = [], children }: LayoutProps) {
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${home.label}`}</title>
        <link rel="stylesheet" href={stylesheet} />
        {scripts.map((src) => (
          <script src={src} defer />
        ))}
      </head>
      <body>
        <a class="skip" href="#main">
          跳到正文
        </a>
        <header class="site-header">
          <div class="inner">
            <p class="site-title">
              <a href={home.href}>{home.label}</a>
            </p>
            <nav class="site-nav" aria-label="主导航">
              {nav.map((link) => (
                <a href={link.href}>{link.label}</a>
              ))}
            </nav>
          </div>
        </header>
        <main id="main">{children}</main>
        <footer class="site-footer">
          <div class="inner">
            权责清单登记系统（Quanze）：乡镇（街道）权力清单、责任清单的版本登记与查询。页面内容以已发布的清单为准。
          </div>
        </footer>
      </body>
    </html>
  );
}

export interface ErrorPageProps {
  status: number;
  message: string;
  /** Where the reader can go from here. */
  back: NavLink;
}

const ERROR_TITLES: Record<number, string> = {
  400: '请求有误',
  403: '无权访问',
  404: '页面不存在',
  429: '请求过于频繁',
  500: '服务器出错',
  503: '服务暂不可用',
};

/** The body of an error page, in the site's frame; the status code is also the HTTP status. */
export function ErrorContent({ status, message, back }: ErrorPageProps) {
  return (
    <>
      <h1>{ERROR_TITLES[status] ?? '出错了'}</h1>
      <p class="notice error">{message}</p>
      <p>
        <a href={back.href}>{back.label}</a>
      </p>
    </>
  );
}

export const errorTitle = (status: number) => ERROR_TITLES[status] ?? '出错了';
