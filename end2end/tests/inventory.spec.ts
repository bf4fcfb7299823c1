import { Browser, expect, Page, test } from "@playwright/test";
import { accounts, hydrated, signIn, startWork } from "./helpers";

async function as(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}


test("an agent registers an asset and hands it out through a ticket; the requester sees it under my assets", async ({ browser }) => {
  test.setTimeout(90_000);
  const serial = `E2E-${Date.now()}`;
  const agent = await as(browser, accounts.agent);
  await agent.goto("/assets");
  await hydrated(agent);
  await agent.getByTestId("register-asset").click();
  const form = agent.getByTestId("register-form");
  await form.getByTestId("asset-name-input").fill("Laptop Dell Latitude 5440");
  await form.getByTestId("asset-category-input").selectOption("laptop");
  await form.getByTestId("asset-serial-input").fill(serial);
  await form.getByTestId("asset-location-input").fill("Gudang GA, Kantor Pusat Jakarta");
  await form.getByTestId("save-asset").click();
  await expect(agent).toHaveURL(/\/assets\/[0-9a-f-]{36}$/);
  const tag = ((await agent.getByTestId("asset-tag").textContent()) ?? "").trim();
  expect(tag).toMatch(/^AST-\d{6}$/);
  await expect(agent.getByTestId("asset-status")).toHaveText("Available");
  await expect(agent.getByTestId("asset-label")).toBeVisible();

  // The requester asks for a laptop.
  const requester = await as(browser, accounts.requester);
  await requester.goto("/tickets/new");
  await hydrated(requester);
  await requester.getByTestId("title").fill(`Laptop untuk magang ${serial}`);
  await requester.getByTestId("category").selectOption("general_service");
  await requester.getByTestId("location").fill("Kantor Pusat Jakarta, Lantai 5");
  const row = requester.getByTestId("item-row").first();
  await row.getByTestId("item-name").fill("Pinjam laptop");
  await row.getByTestId("item-quantity").fill("1");
  await row.getByTestId("item-unit").fill("unit");
  await row.getByTestId("item-price").fill("0");
  await requester.getByTestId("submit").click();
  await expect(requester).toHaveURL(/\/tickets\/[0-9a-f-]{36}$/);
  const url = requester.url();

  // The agent completes it with the laptop.
  await startWork(agent, url);
  await agent.getByTestId("action-complete").click();
  const dialog = agent.getByTestId("action-dialog");
  await dialog.getByTestId("dialog-cost").fill("0");
  await dialog.getByTestId("asset-search").fill(tag);
  await dialog.getByTestId("asset-find").click();
  await dialog.getByTestId("asset-option").filter({ hasText: tag }).click();
  await expect(dialog.getByTestId("asset-option").filter({ hasText: tag })).toHaveAttribute("aria-pressed", "true");
  await dialog.getByTestId("dialog-confirm").click();
  await expect(agent.getByTestId("status")).toHaveText("Completed");

  // The requester holds it now.
  await requester.goto("/assets?mine=true");
  await hydrated(requester);
  const mine = requester.getByTestId("asset-row").filter({ hasText: tag });
  await expect(mine).toHaveCount(1);
  await expect(mine.getByTestId("asset-status")).toHaveText("Checked out");
  await mine.getByTestId("asset-tag").click();
  await expect(requester.getByTestId("asset-holder")).toHaveText("Budi Santoso");
  // Requesters see the asset but cannot act on it.
  await expect(requester.getByTestId("asset-actions")).toHaveCount(0);
  await expect(requester.getByTestId("asset-history-entry").first()).toContainText("Checked out");

  // Back with GA: check in, then the asset is available again.
  await agent.goto(requester.url());
  await hydrated(agent);
  await agent.getByTestId("asset-check_in").click();
  const checkin = agent.getByTestId("asset-dialog");
  await checkin.getByTestId("dialog-condition").selectOption("fair");
  await checkin.getByTestId("dialog-confirm").click();
  await expect(agent.getByTestId("asset-status")).toHaveText("Available");
  await expect(agent.getByTestId("asset-condition")).toHaveText("Fair");
});

test("a supply ticket drawn from GA stock lowers the stock when completed", async ({ browser }) => {
  test.setTimeout(90_000);
  const sku = `E2E-${Date.now()}`;
  const agent = await as(browser, accounts.agent);
  // Demo data has items below their reorder level: the badge shows it.
  await expect(agent.getByTestId("low-stock-count")).toBeVisible();
  await agent.goto("/stock");
  await hydrated(agent);
  await agent.getByTestId("new-stock-item").click();
  const form = agent.getByTestId("stock-form");
  await form.getByTestId("stock-sku-input").fill(sku);
  await form.getByTestId("stock-name-input").fill(`Map plastik ${sku}`);
  await form.getByTestId("stock-unit-input").fill("pak");
  await form.getByTestId("stock-price-input").fill("15.000");
  await form.getByTestId("stock-onhand-input").fill("50");
  await form.getByTestId("stock-reorder-input").fill("10");
  await form.getByTestId("save-stock-item").click();
  await expect(agent.getByTestId("notice")).toContainText("added");

  const requester = await as(browser, accounts.requester);
  await requester.goto("/tickets/new");
  await hydrated(requester);
  await requester.getByTestId("title").fill(`Map plastik untuk arsip ${sku}`);
  await requester.getByTestId("location").fill("Kantor Pusat Jakarta, Lantai 7");
  await requester.getByTestId("from-stock").click();
  await requester.getByTestId("stock-search").fill(sku);
  const option = requester.getByTestId("stock-option").filter({ hasText: sku });
  await expect(option).toContainText("50 pak available");
  await option.click();
  const row = requester.getByTestId("item-row").filter({ has: requester.getByTestId("item-from-stock") });
  await expect(row).toHaveCount(1);
  await expect(requester.getByTestId("item-row")).toHaveCount(1);
  await row.getByTestId("item-quantity").fill("4");
  await expect(row.getByTestId("item-subtotal")).toHaveText("Rp 60.000");
  await requester.getByTestId("submit").click();
  await expect(requester).toHaveURL(/\/tickets\/[0-9a-f-]{36}$/);
  const url = requester.url();

  await startWork(agent, url);
  await agent.getByTestId("action-complete").click();
  await agent.getByTestId("action-dialog").getByTestId("dialog-confirm").click();
  await expect(agent.getByTestId("status")).toHaveText("Completed");

  await agent.goto(`/stock?q=${sku}`);
  await hydrated(agent);
  const stock = agent.getByTestId("stock-row").filter({ hasText: sku });
  await expect(stock.getByTestId("stock-on-hand")).toHaveText("46 pak");
  await expect(stock.getByTestId("stock-available")).toHaveText("46");
  await stock.getByTestId("stock-move").click();
  await expect(agent.getByTestId("movement").first()).toContainText("-4 Issued → 46");
});

test("Load more on the stock list keeps the loaded rows in the address, for a reload and a refresh", async ({ page }) => {
  test.setTimeout(90_000);
  // Names sort after the demo shelves, so other tests still find those on
  // the first page.
  const prefix = `ZZ${Date.now()}`;
  await signIn(page, accounts.agent);
  for (let i = 0; i < 55; i++) {
    const r = await page.request.post("/api/v1/stock", {
      data: { sku: `${prefix}-${String(i).padStart(2, "0")}`, name: `Zz uji ${prefix} ${i}`, unit: "pcs", on_hand: 10, reorder_level: 1 },
    });
    expect(r.status(), await r.text()).toBe(201);
  }
  await page.goto(`/stock?q=${prefix}`);
  await hydrated(page);
  await expect(page.getByTestId("stock-row")).toHaveCount(50);
  await page.getByTestId("load-more").click();
  await expect(page.getByTestId("stock-row")).toHaveCount(55);
  await expect(page).toHaveURL(/after=/);
  await expect(page.getByTestId("load-more")).toHaveCount(0);
  // The server renders the same 55 rows from the address.
  const html = await (await page.request.get(page.url())).text();
  expect((html.match(/data-test="stock-row"/g) ?? []).length).toBe(55);
  // A movement on a row of the second page refreshes the list: no row lost
  // or doubled.
  const last = page.getByTestId("stock-row").last();
  await last.getByTestId("stock-move").click();
  const dialog = page.getByTestId("stock-dialog");
  await dialog.getByTestId("movement-quantity").fill("2");
  await dialog.getByTestId("movement-save").click();
  await expect(dialog.getByTestId("movement").first()).toContainText("+2");
  await dialog.getByRole("button", { name: "Close" }).last().click();
  await expect(page.getByTestId("stock-row")).toHaveCount(55);
  await expect(last.getByTestId("stock-on-hand")).toHaveText("12 pcs");
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId("stock-row")).toHaveCount(55);
});

test.describe("in Indonesian", () => {
  test.use({ locale: "id-ID" });

  test("the asset pages speak Indonesian: headings, statuses, dates, the check-out dialog and an empty filter", async ({ page }) => {
    test.setTimeout(90_000);
    const serial = `ID-${Date.now()}`;
    await signIn(page, accounts.agent);
    await page.goto("/assets");
    await hydrated(page);
    await expect(page.locator("html")).toHaveAttribute("lang", "id");
    await expect(page.locator("main h1")).toHaveText("Aset");
    await expect(page.getByTestId("asset-list").locator("thead")).toContainText("Pemegang");
    await expect(page.getByTestId("asset-filters")).toContainText("Garansi berakhir");
    // Demo data: the projector's warranty ends on 20 December 2026.
    await expect(page.getByTestId("asset-row").filter({ hasText: "Proyektor Epson" }).first()).toContainText("20 Des 2026");

    await page.getByTestId("register-asset").click();
    const form = page.getByTestId("register-form");
    await expect(form.locator("h2")).toHaveText("Daftarkan aset");
    await form.getByTestId("asset-name-input").fill("Laptop Asus ExpertBook B1");
    await form.getByTestId("asset-category-input").selectOption("laptop");
    await form.getByTestId("asset-serial-input").fill(serial);
    await form.getByTestId("asset-location-input").fill("Gudang GA, Kantor Pusat Jakarta");
    await form.locator("#a-warranty").fill("2026-08-17");
    await form.getByTestId("save-asset").click();
    await expect(page).toHaveURL(/\/assets\/[0-9a-f-]{36}$/);
    const tag = ((await page.getByTestId("asset-tag").textContent()) ?? "").trim();
    await expect(page.getByTestId("asset-status")).toHaveText("Tersedia");
    await expect(page.locator(".facts")).toContainText("17 Agu 2026");
    await expect(page.getByTestId("asset-holder")).toHaveText("Tidak ada (disimpan GA)");

    await page.getByTestId("asset-check_out").click();
    const dialog = page.getByTestId("asset-dialog");
    await expect(dialog.locator("h2")).toHaveText(`Pinjamkan ${tag}`);
    await dialog.getByTestId("holder-search").fill("budi");
    await dialog.getByTestId("holder-find").click();
    await dialog.getByTestId("holder-results").getByRole("button", { name: /Budi Santoso/ }).click();
    await dialog.getByTestId("dialog-confirm").click();
    await expect(page.getByTestId("asset-status")).toHaveText("Dipinjam");
    await expect(page.getByTestId("notice")).toHaveText(`${tag} sekarang dipinjam.`);
    await expect(page.getByTestId("asset-history-entry").first()).toContainText("Dipinjam");
    await expect(page.getByTestId("asset-history-entry").first()).toContainText(/\d{1,2} \w{3} \d{4} \d{2}\.\d{2} WIB/);

    await page.goto(`/assets?q=${serial}`);
    await hydrated(page);
    const row = page.getByTestId("asset-row").filter({ hasText: tag });
    await expect(row.getByTestId("asset-status")).toHaveText("Dipinjam");
    await expect(row.getByTestId("asset-holder")).toHaveText("Budi Santoso");
    await expect(row).toContainText("17 Agu 2026");

    // A filter that matches nothing says so and offers the way back.
    await page.goto(`/assets?q=tidak-ada-${serial}`);
    await hydrated(page);
    const empty = page.getByTestId("empty-assets");
    await expect(empty.locator("h2")).toHaveText("Tidak ada aset yang cocok");
    await empty.getByTestId("clear-filters").click();
    await expect(page).toHaveURL(/\/assets$/);
    await expect(page.getByTestId("asset-row").first()).toBeVisible();
  });

  test("the stock page speaks Indonesian: headings, the low marker and a movement", async ({ page }) => {
    await signIn(page, accounts.agent);
    await page.goto("/stock");
    await hydrated(page);
    await expect(page.locator("main h1")).toHaveText("Stok");
    const head = page.getByTestId("stock-list").locator("thead");
    await expect(head).toContainText("Stok fisik");
    await expect(head).toContainText("Tersedia");
    // Demo data: 3 bottles of soap against a reorder level of 6.
    const soap = page.getByTestId("stock-row").filter({ hasText: "KBR-SABUN-500" });
    await expect(soap.getByTestId("low")).toHaveText("Menipis");

    await page.getByTestId("low-stock-link").click();
    await expect(page).toHaveURL(/\/stock\?low=true$/);
    await expect(page.locator("main h1")).toHaveText("Stok menipis");

    await page.goto("/stock?q=PTR-GULA-1KG");
    await hydrated(page);
    await page.getByTestId("stock-row").filter({ hasText: "PTR-GULA-1KG" }).getByTestId("stock-move").click();
    const dialog = page.getByTestId("stock-dialog");
    await expect(dialog.getByTestId("movement-kind").locator("option").first()).toHaveText("Terima barang (+)");
    await dialog.getByTestId("movement-quantity").fill("5");
    await dialog.getByTestId("movement-reason").fill("PO-E2E");
    await dialog.getByTestId("movement-save").click();
    const newest = dialog.getByTestId("movement").first();
    await expect(newest).toContainText("+5 Diterima");
    await expect(newest).toContainText(/\d{1,2} \w{3} \d{4} \d{2}\.\d{2} WIB/);
    await expect(dialog.getByTestId("dialog-on-hand")).toContainText("Stok fisik:");
  });

  test.describe("on a phone", () => {
    test.use({ viewport: { width: 360, height: 740 } });

    test("admin tables are cards labelled in Indonesian", async ({ page }) => {
      await signIn(page, accounts.admin);
      for (const [path, heading, label] of [
        ["/admin/users", "Pengguna", "Peran"],
        ["/admin/security", "Log keamanan", "Akun"],
      ]) {
        await page.goto(path);
        await hydrated(page);
        await expect(page.locator("main h1")).toHaveText(heading);
        await expect(page.locator("table.stack thead")).toBeHidden();
        await expect(page.locator(`table.stack td[data-label="${label}"]`).first()).toBeVisible();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
      }
      await expect(page.getByTestId("log-kind").filter({ hasText: "berhasil masuk" }).first()).toBeVisible();
    });
  });
});
