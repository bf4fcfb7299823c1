import { expect, test } from "@playwright/test";
import { accounts, hydrated, password, signIn } from "./helpers";

test("pages need a signed-in user", async ({ page }) => {
  await page.goto("/tickets/new");
  await expect(page).toHaveURL(/\/login\?next=\/tickets\/new$/);
  await expect(page.getByRole("heading", { name: "Sign in to GA Desk" })).toBeVisible();
});

test("a wrong password shows one generic message", async ({ page }) => {
  await page.goto("/login");
  await hydrated(page);
  await page.getByTestId("login-email").fill(accounts.requester);
  await page.getByTestId("login-password").fill("not-the-password-123");
  await page.getByTestId("login-submit").click();
  await expect(page.getByTestId("login-error")).toHaveText("Email or password is incorrect.");
  await expect(page).toHaveURL(/\/login/);

  // An unknown email gets exactly the same answer.
  await page.getByTestId("login-email").fill("nobody@example.co.id");
  await page.getByTestId("login-password").fill(password());
  await page.getByTestId("login-submit").click();
  await expect(page.getByTestId("login-error")).toHaveText("Email or password is incorrect.");
});

test("requester creates a ticket with two items and finds it again", async ({ page }) => {
  await signIn(page, accounts.requester);
  await page.getByTestId("new-ticket").click();
  await expect(page).toHaveURL(/\/tickets\/new$/);
  await hydrated(page);

  const title = `Pantry restock ${Date.now()}`;
  await page.getByTestId("title").fill(title);
  await page.getByTestId("category").selectOption("pantry_supplies");
  await page.getByTestId("priority").selectOption("high");
  await page.getByTestId("location").fill("Kantor Pusat Jakarta, Lantai 3");
  await page.getByTestId("description").fill("Kopi dan teh untuk pantry lantai 3");

  const rows = page.getByTestId("item-row");
  await rows.nth(0).getByTestId("item-name").fill("Kopi bubuk 1 kg");
  await rows.nth(0).getByTestId("item-quantity").fill("3");
  await rows.nth(0).getByTestId("item-unit").fill("kg");
  await rows.nth(0).getByTestId("item-price").fill("180.000");
  await expect(page.getByTestId("live-total")).toHaveText("Rp 540.000");

  await page.getByTestId("add-item").click();
  await expect(rows).toHaveCount(2);
  await rows.nth(1).getByTestId("item-name").fill("Teh celup");
  await rows.nth(1).getByTestId("item-quantity").fill("12");
  await rows.nth(1).getByTestId("item-unit").fill("box");
  await rows.nth(1).getByTestId("item-price").fill("25500");
  await expect(rows.nth(1).getByTestId("item-subtotal")).toHaveText("Rp 306.000");
  // Totals update as the user types, before anything is submitted.
  await expect(page.getByTestId("live-total")).toHaveText("Rp 846.000");

  await page.getByTestId("submit").click();
  await expect(page).toHaveURL(/\/tickets\/[0-9a-f-]{36}$/);
  const ticketUrl = page.url();
  await expect(page.getByTestId("ticket-title")).toHaveText(title);
  await expect(page.getByTestId("ticket-total")).toHaveText("Rp 846.000");
  await expect(page.getByTestId("status")).toHaveText("Pending");
  const number = (await page.getByTestId("ticket-number").textContent())?.trim() ?? "";
  expect(number).toMatch(/^GA-\d{4}-\d{6}$/);

  // After a full reload of "My requests" the ticket is listed first.
  await page.goto("/");
  await page.reload();
  const first = page.getByTestId("ticket-row").first();
  await expect(first.getByTestId("ticket-title")).toHaveText(title);
  await expect(first.getByTestId("ticket-total")).toHaveText("Rp 846.000");
  await expect(first.getByTestId("status")).toHaveText("Pending");
  await first.getByTestId("ticket-number").click();
  await expect(page).toHaveURL(ticketUrl);
  const items = page.getByTestId("item");
  await expect(items).toHaveCount(2);
  await expect(items.nth(0).getByTestId("item-name")).toHaveText("Kopi bubuk 1 kg");
  await expect(items.nth(1).getByTestId("item-subtotal")).toHaveText("Rp 306.000");
  await expect(page.getByTestId("ticket-location")).toHaveText("Kantor Pusat Jakarta, Lantai 3");
});

test("form errors show next to the field and nothing is saved", async ({ page }) => {
  await signIn(page, accounts.requester);
  await page.goto("/tickets/new");
  await hydrated(page);
  await page.getByTestId("title").fill("   ");
  await page.getByTestId("item-row").first().getByTestId("item-price").fill("-5");
  await page.getByTestId("submit").click();
  await expect(page.getByTestId("error-title")).toHaveText("This field is required.");
  await expect(page.getByTestId("error-location")).toHaveText("This field is required.");
  await expect(page.getByTestId("error-items[0].name")).toBeVisible();
  await expect(page.getByTestId("error-items[0].unit_price")).toHaveText("The amount cannot be negative.");
  await expect(page).toHaveURL(/\/tickets\/new$/);
});

test("another requester's ticket is not found", async ({ browser }) => {
  const owner = await browser.newContext();
  const ownerPage = await owner.newPage();
  await signIn(ownerPage, accounts.requester);
  await ownerPage.getByTestId("ticket-number").first().click();
  await expect(ownerPage).toHaveURL(/\/tickets\/[0-9a-f-]{36}$/);
  const url = ownerPage.url();

  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage, accounts.requester2);
  const response = await otherPage.goto(url);
  expect(response?.status()).toBe(404);
  await expect(otherPage.getByTestId("not-found")).toBeVisible();
  await expect(otherPage.getByTestId("ticket")).toHaveCount(0);
  await owner.close();
  await other.close();
});

test("signing out ends the session", async ({ page }) => {
  await signIn(page, accounts.requester);
  await hydrated(page);
  await page.getByTestId("logout").click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);
});

test("signing in and out also work before the page is interactive", async ({ browser }) => {
  // No JavaScript at all: the forms post to the server and get redirects.
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByTestId("login-email").fill(accounts.requester);
  await page.getByTestId("login-password").fill(password());
  await page.getByTestId("login-submit").click();
  await expect(page.getByTestId("current-user")).toContainText("Budi Santoso");
  await expect(page.getByRole("heading", { name: "My requests" })).toBeVisible();
  await page.getByTestId("logout").click();
  await expect(page).toHaveURL(/\/login$/);
  await context.close();
});
