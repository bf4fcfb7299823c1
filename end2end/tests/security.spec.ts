import { expect, test } from "@playwright/test";
import { accounts, hydrated, signIn, sso } from "./helpers";

test("stored markup in titles, descriptions and comments is shown as text, never run", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (m.text().includes("Content Security Policy")) violations.push(m.text());
  });
  await signIn(page, accounts.requester);
  await page.goto("/tickets/new");
  await hydrated(page);
  const evilTitle = `<img src=x onerror="window.__xss=1"> ${Date.now()}`;
  await page.getByTestId("title").fill(evilTitle);
  await page.getByTestId("location").fill("<script>window.__xss=2</script>");
  await page.getByTestId("description").fill('"><svg onload="window.__xss=3">');
  const row = page.getByTestId("item-row").first();
  await row.getByTestId("item-name").fill("<b onmouseover=alert(1)>Kertas</b>");
  await row.getByTestId("item-price").fill("10.000");
  await page.getByTestId("submit").click();
  await expect(page).toHaveURL(/\/tickets\/[0-9a-f-]{36}$/);
  const url = page.url();
  await hydrated(page);
  await page.getByTestId("comment-input").fill("<iframe src=javascript:window.__xss=4>");
  await page.getByTestId("comment-send").click();
  await expect(page.getByTestId("comment-body")).toHaveText("<iframe src=javascript:window.__xss=4>");

  // Server-rendered and hydrated again from scratch.
  await page.goto(url);
  await hydrated(page);
  await expect(page.getByTestId("ticket-title")).toHaveText(evilTitle);
  await expect(page.getByTestId("ticket-location")).toHaveText("<script>window.__xss=2</script>");
  await expect(page.getByTestId("ticket-description")).toHaveText('"><svg onload="window.__xss=3">');
  await expect(page.getByTestId("item-name")).toHaveText("<b onmouseover=alert(1)>Kertas</b>");
  expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();
  expect(await page.locator("img[src=x], svg[onload], iframe").count()).toBe(0);
  // The list shows it escaped too.
  await page.goto("/");
  await expect(page.getByTestId("ticket-title").first()).toHaveText(evilTitle);
  expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();
  expect(violations, "the page runs under its CSP without violations").toEqual([]);
});

test("admins create users, temporary passwords must be changed, and resets sign people out", async ({ browser }) => {
  test.setTimeout(90_000);
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, accounts.admin);
  await admin.goto("/admin/users");
  await hydrated(admin);
  const email = `joko.${Date.now()}@example.co.id`;
  await admin.getByTestId("add-user").click();
  await admin.getByTestId("new-user-email").fill(email);
  await admin.getByTestId("new-user-name").fill("Joko Wibowo");
  await admin.getByTestId("new-user-password").fill("sementara-joko-2026");
  await admin.getByTestId("new-user-save").click();
  await expect(admin.getByTestId("notice")).toContainText(`Created ${email}`);

  // First sign-in goes to "choose your own password".
  const joko = await (await browser.newContext()).newPage();
  await joko.goto("/login");
  await hydrated(joko);
  await joko.getByTestId("login-email").fill(email);
  await joko.getByTestId("login-password").fill("sementara-joko-2026");
  await joko.getByTestId("login-submit").click();
  await expect(joko).toHaveURL(/\/account\/password\?required=1$/);
  await expect(joko.getByTestId("password-required")).toBeVisible();
  await joko.goto("/");
  await expect(joko).toHaveURL(/\/account\/password\?required=1$/);
  await hydrated(joko);
  await joko.getByTestId("current-password").fill("sementara-joko-2026");
  await joko.getByTestId("new-password").fill("password123");
  await joko.getByTestId("repeat-password").fill("password123");
  await joko.getByTestId("password-save").click();
  await expect(joko.getByTestId("error-new_password")).toContainText("too common");
  await joko.getByTestId("new-password").fill("gado-gado-enak-sekali");
  await joko.getByTestId("repeat-password").fill("gado-gado-enak-sekali");
  await joko.getByTestId("password-save").click();
  await expect(joko.getByTestId("password-changed")).toBeVisible();
  await joko.goto("/");
  await expect(joko.getByRole("heading", { name: "My requests" })).toBeVisible();

  // The admin resets Joko's password: Joko is signed out and told why.
  await admin.reload();
  await hydrated(admin);
  await admin.locator(`[data-test=user-row][data-email="${email}"]`).getByTestId("reset-password").click();
  await expect(admin.getByTestId("notice")).toContainText(`Temporary password for ${email}`);
  await joko.goto("/tickets/new");
  await expect(joko).toHaveURL(/\/login\?ended=1$/);
  await expect(joko.getByTestId("session-ended")).toBeVisible();

  // Everything shows up in the security log.
  await admin.goto("/admin/security");
  const kinds = admin.getByTestId("log-kind");
  await expect(kinds.filter({ hasText: "password reset" }).first()).toBeVisible();
  await expect(kinds.filter({ hasText: "user created" }).first()).toBeVisible();
  await expect(kinds.filter({ hasText: "password changed" }).first()).toBeVisible();
});

test("signing out in one browser leaves the other browser signed in", async ({ browser }) => {
  const one = await (await browser.newContext()).newPage();
  const two = await (await browser.newContext()).newPage();
  await signIn(one, accounts.approver2);
  await signIn(two, accounts.approver2);
  await hydrated(one);
  await one.getByTestId("logout").click();
  await expect(one).toHaveURL(/\/login$/);
  await two.goto("/approvals");
  await expect(two.getByRole("heading", { name: "Waiting for my approval" })).toBeVisible();
});

test("single sign-on through a real OpenID Connect provider creates a requester", async ({ page }) => {
  const login = `sso.${Date.now()}`;
  // Through the provider's own sign-in and consent pages.
  await sso(page, login, "/tickets/new");
  await expect(page).toHaveURL(/\/tickets\/new$/);
  await expect(page.getByTestId("current-user")).toContainText("Requester");
  const name = login.split(".").map((w) => w[0].toUpperCase() + w.slice(1)).join(" ");
  await expect(page.getByTestId("current-user")).toContainText(name);
});

test("single sign-on refuses an email the provider did not verify", async ({ page }) => {
  await sso(page, `unverified.${Date.now()}`);
  await expect(page).toHaveURL(/\/login\?sso=failed$/);
  await expect(page.getByTestId("sso-error")).toBeVisible();
  await expect(page.getByTestId("current-user")).toHaveCount(0);
});
