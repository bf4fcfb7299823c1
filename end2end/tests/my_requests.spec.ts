import { expect, Page, test } from "@playwright/test";
import { accounts, hydrated, signIn } from "./helpers";

test("my requests: search, status chips, and request again", async ({ page }) => {
  test.setTimeout(60_000);
  const word = `Lampu${Date.now()}`;
  await signIn(page, accounts.requester2);
  await page.goto("/tickets/new");
  await hydrated(page);
  await page.getByTestId("title").fill(`${word} ruang arsip`);
  await page.getByTestId("location").fill("Kantor Pusat Jakarta, Lantai 2");
  const row = page.getByTestId("item-row").first();
  await row.getByTestId("item-name").fill("Lampu LED 18 watt");
  await row.getByTestId("item-quantity").fill("6");
  await row.getByTestId("item-unit").fill("pcs");
  await row.getByTestId("item-price").fill("45.000");
  await page.getByTestId("submit").click();
  await expect(page).toHaveURL(/\/tickets\/[0-9a-f-]{36}$/);
  const first = ((await page.getByTestId("ticket-number").textContent()) ?? "").trim();

  // Search finds it by a word of its title; the address keeps the search.
  await page.goto("/");
  await hydrated(page);
  await page.getByTestId("my-search").fill(word);
  await page.getByTestId("my-search-submit").click();
  await expect(page).toHaveURL(new RegExp(`q=${word}`));
  await expect(page.getByTestId("ticket-row")).toHaveCount(1);
  await expect(page.getByTestId("ticket-number")).toHaveText(first);

  // Chips narrow by status and keep the search.
  await page.getByTestId("chip-closed").click();
  await expect(page.getByTestId("empty-search")).toBeVisible();
  await page.getByTestId("chip-open").click();
  await expect(page.getByTestId("chip-open")).toHaveAttribute("aria-current", "page");
  await expect(page.getByTestId("ticket-row")).toHaveCount(1);
  await page.getByTestId("chip-all").click();
  await expect(page).toHaveURL(new RegExp(`/\\?q=${word}$`));

  // Request again: the form starts as a copy, rendered by the server.
  await page.getByTestId("ticket-number").click();
  await hydrated(page);
  await page.getByTestId("request-again").click();
  await expect(page.getByTestId("copied-notice")).toBeVisible();
  await expect(page.getByTestId("title")).toHaveValue(`${word} ruang arsip`);
  await expect(page.getByTestId("item-name").first()).toHaveValue("Lampu LED 18 watt");
  await expect(page.getByTestId("live-total")).toHaveText("Rp 270.000");
  await hydrated(page);
  await page.getByTestId("submit").click();
  await expect(page).toHaveURL(/\/tickets\/[0-9a-f-]{36}$/);
  const second = ((await page.getByTestId("ticket-number").textContent()) ?? "").trim();
  expect(second).not.toBe(first);

  await page.goto(`/?q=${word}`);
  await expect(page.getByTestId("ticket-row")).toHaveCount(2);
});

/** Creates tickets for the signed-in user through the REST API (the page's
 *  cookies authenticate it); the words keep them apart from other tests. */
async function createTickets(page: Page, title: (i: number) => string, count: number, price = "10000") {
  const numbers: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await page.request.post("/api/v1/tickets", {
      data: {
        title: title(i),
        description: "",
        category: "office_supplies",
        priority: "low",
        location: "Kantor Pusat Jakarta, Lantai 3",
        items: [{ name: "Map plastik", quantity: 2, unit: "pcs", unit_price: price }],
      },
    });
    expect(res.status(), await res.text()).toBe(201);
    numbers.push((await res.json()).number);
  }
  return numbers;
}

test.describe("in Indonesian", () => {
  test.use({ locale: "id-ID" });

  test("my requests speaks Indonesian: headings, chips, statuses and dates", async ({ page }) => {
    const word = `Tinta${Date.now()}`;
    await signIn(page, accounts.requester2);
    await expect(page.locator("html")).toHaveAttribute("lang", "id");
    // One below the approval limit (Baru), one above it (Menunggu persetujuan).
    const [small] = await createTickets(page, () => `${word} kecil`, 1, "10000");
    const [large] = await createTickets(page, () => `${word} besar`, 1, "2000000");

    await page.goto(`/?q=${word}`);
    await hydrated(page);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Permintaan saya");
    await expect(page).toHaveTitle(/Permintaan saya/);
    await expect(page.getByTestId("new-ticket")).toHaveText("Permintaan baru");
    await expect(page.getByTestId("my-search")).toHaveAttribute("placeholder", "Cari nomor, judul, atau barang");
    await expect(page.getByTestId("my-search-submit")).toHaveText("Cari");
    await expect(page.getByTestId("chip-all")).toHaveText("Semua");
    await expect(page.getByTestId("chip-open")).toHaveText("Terbuka");
    await expect(page.getByTestId("chip-closed")).toHaveText("Ditutup atau ditolak");
    await expect(page.locator("table.tickets thead")).toContainText("Nomor");
    await expect(page.locator("table.tickets thead")).toContainText("Dibuat");

    const row = (number: string) => page.getByTestId("ticket-row").filter({ hasText: number });
    await expect(row(small).getByTestId("status")).toHaveText("Baru");
    await expect(row(large).getByTestId("status")).toHaveText("Menunggu persetujuan");
    await expect(row(small)).toContainText("Alat tulis kantor");
    // Indonesian dates: no comma, a dot between hours and minutes.
    await expect(row(small).locator(".c-created")).toHaveText(
      /^\d{1,2} (Jan|Feb|Mar|Apr|Mei|Jun|Jul|Agu|Sep|Okt|Nov|Des) \d{4} \d{2}\.\d{2} WIB$/,
    );

    // A search without matches says so in Indonesian.
    await page.getByTestId("chip-closed").click();
    await expect(page.getByTestId("empty-search")).toContainText("Tidak ada yang cocok");

    // The ticket page too: facts, actions, timeline and comments.
    await page.goto(`/?q=${word}`);
    await row(large).getByTestId("ticket-number").click();
    await hydrated(page);
    await expect(page.getByTestId("ticket").locator(".facts")).toContainText("Kategori");
    await expect(page.getByTestId("ticket").locator(".facts")).toContainText("Belum ada petugas");
    await expect(page.getByTestId("approvals").getByRole("heading")).toHaveText("Persetujuan");
    await expect(page.getByTestId("timeline")).toContainText("membuat permintaan");
    await expect(page.getByTestId("comments").getByRole("heading")).toHaveText("Komentar");
    await expect(page.getByTestId("comment-send")).toHaveText("Kirim");
    await expect(page.getByTestId("request-again")).toHaveText("Ajukan lagi");

    // And the form for a new request.
    await page.goto("/tickets/new");
    await hydrated(page);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Permintaan baru");
    await expect(page.getByTestId("add-item")).toHaveText("+ Tambah barang");
    await page.getByTestId("submit").click();
    await expect(page.getByTestId("form-error").first()).toHaveText("Mohon perbaiki isian yang ditandai.");

    // A copy that cannot be made says why, and the empty form still works.
    await page.goto("/tickets/new?from=00000000-0000-4000-8000-000000000000");
    await expect(page.getByTestId("copy-error")).toContainText(
      "Permintaan Anda sebelumnya tidak dapat disalin: Tidak ditemukan.",
    );
    await expect(page.getByTestId("title")).toHaveValue("");
  });
});

test("language switcher: the page reloads in the other language, and the choice stays", async ({ page }) => {
  await signIn(page, accounts.requester2);
  await page.goto("/");
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("My requests");
  await expect(page.getByTestId("lang-en")).toHaveAttribute("aria-pressed", "true");

  await page.getByTestId("lang-id").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Permintaan saya");
  await expect(page.locator("html")).toHaveAttribute("lang", "id");
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("chip-open")).toHaveText("Terbuka");
  await expect(page.getByTestId("lang-id")).toHaveAttribute("aria-pressed", "true");

  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Permintaan saya");
  await page.goto("/tickets/new");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Permintaan baru");
  await expect(page.getByTestId("submit")).toHaveText("Kirim permintaan");

  await page.getByTestId("lang-en").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("New request");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("My requests");
});

test("load more keeps its rows and the scroll position when coming back", async ({ page }) => {
  test.setTimeout(90_000);
  const word = `Arsip${Date.now()}`;
  await signIn(page, accounts.requester2);
  // 45 matches: two full pages of 20 and a last one of 5.
  const numbers = await createTickets(page, (i) => `${word} map ${i + 1}`, 45);
  const newestFirst = [...numbers].reverse();

  await page.goto(`/?q=${word}`);
  await hydrated(page);
  const rows = page.getByTestId("ticket-row");
  await expect(rows).toHaveCount(20);
  await page.getByTestId("load-more").click();
  await expect(rows).toHaveCount(40);
  // The address remembers how much is shown, without a new history entry.
  await expect(page).toHaveURL(new RegExp(`/\\?q=${word}&pages=2$`));
  const shown = await rows.getByTestId("ticket-number").allTextContents();
  expect(shown.map((s) => s.trim())).toEqual(newestFirst.slice(0, 40));

  // Open the 35th, far down the page, then come back.
  const target = rows.nth(34);
  await target.scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, 120));
  const before = await page.evaluate(() => window.scrollY);
  expect(before).toBeGreaterThan(500);
  await target.getByTestId("ticket-number").click();
  await expect(page).toHaveURL(/\/tickets\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("ticket-number")).toHaveText(newestFirst[34]);

  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`/\\?q=${word}&pages=2$`));
  await expect(rows).toHaveCount(40);
  const back = await rows.getByTestId("ticket-number").allTextContents();
  expect(back.map((s) => s.trim())).toEqual(newestFirst.slice(0, 40));
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(before - 40);
  expect(Math.abs((await page.evaluate(() => window.scrollY)) - before)).toBeLessThan(40);
  await expect(rows.nth(34)).toBeInViewport();

  // A reload renders the same 40 rows on the server, and the rest still loads.
  await page.reload();
  await expect(rows).toHaveCount(40);
  await hydrated(page);
  await page.getByTestId("load-more").click();
  await expect(rows).toHaveCount(45);
  await expect(page).toHaveURL(new RegExp(`/\\?q=${word}&pages=3$`));
  await expect(page.getByTestId("load-more")).toHaveCount(0);

  // A fresh visit starts at the top with one page.
  await page.goto(`/?q=${word}`);
  await expect(rows).toHaveCount(20);
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  await hydrated(page);

  // While a list loads, grey rows stand in for it.
  const rpc = "**/rpc/tickets/mine/search**";
  let release: () => void = () => {};
  const held = new Promise<void>((r) => (release = r));
  await page.route(rpc, async (route) => {
    await held;
    await route.continue();
  });
  await page.getByTestId("chip-open").click();
  await expect(page.getByTestId("skeleton")).toBeVisible();
  await expect(page.getByTestId("skeleton")).toHaveAttribute("aria-busy", "true");
  release();
  await expect(rows).toHaveCount(20);
  await page.unroute(rpc);

  // A failed load says so and can be tried again, for the list and for more.
  await page.route(rpc, (route) => route.abort());
  await page.getByTestId("chip-all").click();
  await expect(page.getByTestId("list-error")).toContainText("Your requests could not be loaded");
  await page.unroute(rpc);
  await page.getByTestId("retry").click();
  await expect(rows).toHaveCount(20);
  await page.route(rpc, (route) => route.abort());
  await page.getByTestId("load-more").click();
  await expect(page.getByTestId("load-more-error")).toBeVisible();
  await expect(rows).toHaveCount(20);
  await page.unroute(rpc);
  await page.getByTestId("load-more-retry").click();
  await expect(rows).toHaveCount(40);
  await expect(page.getByTestId("load-more-error")).toHaveCount(0);
});

test("language switcher keeps the search and chip of the address", async ({ page }) => {
  await signIn(page, accounts.requester2);
  await page.goto("/?q=kertas&status=open");
  await hydrated(page);
  await page.getByTestId("lang-id").click();
  await expect(page.locator("html")).toHaveAttribute("lang", "id");
  await expect(page).toHaveURL(/\/\?q=kertas&status=open$/);
  await expect(page.getByTestId("chip-open")).toHaveAttribute("aria-current", "page");
  await expect(page.getByTestId("my-search")).toHaveValue("kertas");
});
