import { expect, Page } from "@playwright/test";

export const password = (): string => {
  const p = process.env.GADESK_DEMO_PASSWORD;
  if (!p) throw new Error("GADESK_DEMO_PASSWORD is not set (run through scripts/e2e)");
  return p;
};

export const accounts = {
  requester: "budi.santoso@example.co.id",
  requester2: "ani.pratama@example.co.id",
  approver: "dewi.kusuma@example.co.id",
  approver2: "hendra.wijaya@example.co.id",
  agent: "siti.rahman@example.co.id",
  admin: "rina.hartono@example.co.id",
};

/** Waits until the WASM bundle has hydrated the page. */
export async function hydrated(page: Page) {
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
}

export async function signIn(page: Page, email: string, next = "/") {
  await page.goto(next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`);
  await hydrated(page);
  await page.getByTestId("login-email").fill(email);
  await page.getByTestId("login-password").fill(password());
  await page.getByTestId("login-submit").click();
  await expect(page.getByTestId("current-user")).toBeVisible();
}

/** Takes a pending ticket to "in progress" as the agent. */
export async function startWork(agent: Page, url: string) {
  await agent.goto(url);
  await hydrated(agent);
  await agent.getByTestId("action-accept").click();
  await expect(agent.getByTestId("status")).toHaveText("Approved");
  await agent.getByTestId("assign-me").click();
  await expect(agent.getByTestId("ticket-assignee")).toHaveText("Siti Rahman");
  await agent.getByTestId("action-start").click();
  await expect(agent.getByTestId("status")).toHaveText("In progress");
}

/** Signs in at the test provider as `login` (its email is the login, or
 *  login@example.co.id; its subject is the login itself). */
export async function sso(page: Page, login: string, next = "/") {
  await page.goto(next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`);
  await hydrated(page);
  await page.getByTestId("sso-login").click();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any-password");
  await page.locator('button[type="submit"]').click();
  await page.locator('button[type="submit"]').click();
}
