/** An anchor that navigates inside the app without a page reload. */
import { splitProps, type JSX } from "solid-js";
import { navigate } from "../lib/router";

export function Link(props: { href: string } & JSX.AnchorHTMLAttributes<HTMLAnchorElement>) {
  const [own, rest] = splitProps(props, ["href"]);
  return (
    <a
      href={own.href}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(own.href);
      }}
      {...rest}
    />
  );
}
