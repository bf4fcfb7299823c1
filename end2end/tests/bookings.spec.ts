import { Browser, expect, Page, test } from "@playwright/test";
import path from "path";
import { accounts, hydrated, signIn } from "./helpers";

// With UPDATE_SCREENSHOTS=1 the pictures land in docs/screenshots/ (README).
const shots = process.env.UPDATE_SCREENSHOTS
  ? path.join(__dirname, "..", "..", "docs", "screenshots")
  : path.join(__dirname, "..", "test-results", "screenshots");

// Bookings: Budi finds a free room for ten people tomorrow at 10:00 and
// books it; it shows in his bookings and in the week grid, and the room is
// no longer offered for that hour. Then, on a phone, he checks in to a room
// from the page its door's QR code opens.

async function as(browser: Browser, email: string, viewport = { width: 1280, height: 860 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

/** Cancels the person's coming bookings (a rerun starts clean). */
async function cancelAll(page: Page) {
  const mine = await (await page.request.get("/api/v1/me/bookings")).json();
  for (const b of mine) {
    if (["pending", "confirmed", "checked_in"].includes(b.status)) {
      const r = await page.request.post(`/api/v1/bookings/${b.id}/cancel`, { data: { version: b.version } });
      expect(r.status()).toBe(200);
    }
  }
}

async function resourceId(page: Page, name: string): Promise<string> {
  const all = await (await page.request.get("/api/v1/resources")).json();
  const r = all.find((x: { name: string }) => x.name === name);
  expect(r, name).toBeTruthy();
  return r.id;
}

const noSideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

test("find a room for ten tomorrow at 10:00, book it, see it in my bookings and the week", async ({ browser }) => {
  test.setTimeout(120_000);
  const page = await as(browser, accounts.requester);
  await cancelAll(page);
  await page.goto("/bookings");
  await hydrated(page);
  // Tomorrow and 10:00 are the defaults; ten people.
  await expect(page.getByTestId("find-time")).toHaveValue("10:00");
  await page.getByTestId("find-people").fill("10");
  await page.getByTestId("find-submit").click();
  const results = page.getByTestId("find-results");
  await expect(results).toBeVisible();
  const names = await results.getByTestId("candidate").evaluateAll((els) => els.map((e) => e.getAttribute("data-name")));
  // Big enough only, smallest first; the small rooms are not offered.
  expect(names[0]).toBe("Ruang Rapat Rinjani");
  expect(names).toContain("Ruang Rapat Merapi");
  expect(names).not.toContain("Ruang Rapat Bromo");
  expect(names).not.toContain("Ruang Diskusi Kecil");
  await page.screenshot({ path: path.join(shots, "bookings-find.png"), fullPage: true });

  const rinjani = results.locator('[data-test=candidate][data-name="Ruang Rapat Rinjani"]');
  await rinjani.getByTestId("choose").click();
  // A title is needed.
  await rinjani.getByTestId("book-submit").click();
  await expect(rinjani.getByTestId("book-form")).toContainText("This field is required.");
  await rinjani.getByTestId("book-title").fill("Rapat evaluasi vendor");
  await rinjani.getByTestId("book-submit").click();
  await expect(page.getByTestId("booked")).toContainText("Booked: Ruang Rapat Rinjani");
  await expect(page.getByTestId("booked")).toContainText("10:00–11:00 WIB");
  const mine = page.getByTestId("my-bookings").getByTestId("my-booking").filter({ hasText: "Rapat evaluasi vendor" });
  await expect(mine).toHaveCount(1);
  await expect(mine.getByTestId("booking-status")).toHaveText("Confirmed");
  await expect(mine).toContainText("Check in by 10:15");

  // The room is no longer offered for that hour.
  await page.getByTestId("find-people").fill("10");
  await page.getByTestId("find-submit").click();
  await expect(page.getByTestId("find-results")).toBeVisible();
  await expect(page.locator('[data-test=candidate][data-name="Ruang Rapat Rinjani"]')).toHaveCount(0);
  await expect(page.locator('[data-test=candidate][data-name="Ruang Rapat Merapi"]')).toHaveCount(1);

  // The week grid shows it on tomorrow's column.
  await page.getByTestId("bookings-tab-week").click();
  await expect(page).toHaveURL(/\/bookings\/week/);
  const tomorrow = new Date(Date.now() + 7 * 3600_000 + 86400_000).toISOString().slice(0, 10);
  await page.goto(`/bookings/week?week=${tomorrow}`);
  await hydrated(page);
  const row = page.locator('[data-test=grid-row][data-name="Ruang Rapat Rinjani"]');
  await expect(row).toContainText("10:00–11:00 Rapat evaluasi vendor");
  await expect(row).toContainText("09:00–10:00 Rapat anggaran Q1");
  await page.screenshot({ path: path.join(shots, "bookings-week.png"), fullPage: true });

});

test("check in from the door's QR page on a phone", async ({ browser }) => {
  test.setTimeout(120_000);
  const phone = { width: 360, height: 780 };
  // Another person than the first test's, which runs alongside.
  const page = await as(browser, "yohana.kambu@example.co.id", phone);
  await cancelAll(page);
  const room = await resourceId(page, "Ruang Diskusi Kecil");
  // A meeting starting now.
  const start = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const res = await page.request.post("/api/v1/bookings", {
    data: {
      resource_id: room,
      title: "Diskusi proyek renovasi pantry",
      attendees: 3,
      starts_at: start.toISOString(),
      ends_at: new Date(start.getTime() + 30 * 60_000).toISOString(),
    },
  });
  expect(res.status(), await res.text()).toBe(201);

  await page.goto(`/rooms/${room}/check-in`);
  await hydrated(page);
  const door = page.getByTestId("door");
  await expect(door.locator("h1")).toHaveText("Ruang Diskusi Kecil");
  const mine = door.getByTestId("door-mine");
  await expect(mine).toContainText("Diskusi proyek renovasi pantry");
  await expect(mine).toContainText("Check in by");
  expect(await noSideways(page)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: path.join(shots, "bookings-door-phone.png"), fullPage: true });
  await mine.getByTestId("check-in").click();
  await expect(page.getByTestId("checked-in")).toHaveText("Checked in. The room is yours.");
  await expect(mine).toContainText("Checked in");
  await expect(mine.getByTestId("check-in")).toHaveCount(0);

  // The door sign the QR code is printed on opens this very page.
  const sign = await page.request.get(`/api/v1/resources/${room}/door-sign.svg`);
  expect(sign.status()).toBe(200);
  expect(sign.headers()["content-type"]).toContain("image/svg+xml");
  expect(await sign.text()).toContain("Ruang Diskusi Kecil");

  // Someone else at the door has no booking to check in to.
  const other = await as(browser, accounts.requester2, phone);
  await other.goto(`/rooms/${room}/check-in`);
  await hydrated(other);
  await expect(other.getByTestId("door-none")).toBeVisible();
  await expect(other.getByTestId("check-in")).toHaveCount(0);

  // The week on a phone is a list per room, with no sideways scrolling.
  // (Yohana works in Jayapura: her own office has no rooms.)
  await page.goto("/bookings/week");
  await hydrated(page);
  await expect(page.getByText("Nothing of this kind at this office.")).toBeVisible();
  await page.goto("/bookings/week?site=0192f000-0000-7000-8000-000000000001");
  await hydrated(page);
  await expect(page.locator('[data-test=list-resource][data-name="Ruang Diskusi Kecil"]')).toBeVisible();
  await expect(page.getByTestId("week-grid")).toBeHidden();
  expect(await noSideways(page)).toBeLessThanOrEqual(0);
  await page.goto("/bookings");
  await hydrated(page);
  expect(await noSideways(page)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: path.join(shots, "bookings-phone.png"), fullPage: true });

  // In Indonesian (Yohana's own language, so no other test's emails
  // change): the week's words and the Indonesian clock.
  await page.goto("/bookings/week?site=0192f000-0000-7000-8000-000000000001");
  await hydrated(page);
  await page.getByTestId("lang-id").click();
  await expect(page.locator("html")).toHaveAttribute("lang", "id");
  await expect(page.locator("h1")).toHaveText("Pemesanan");
  await expect(page.locator('[data-test=list-resource][data-name="Ruang Diskusi Kecil"]')).toContainText(
    /\d{2}\.\d{2}.* WIB · Diskusi proyek renovasi pantry/,
  );
  await cancelAll(page);
});
