import { Browser, expect, Page, test } from "@playwright/test";
import path from "path";
import { accounts, hydrated, signIn } from "./helpers";

// With UPDATE_SCREENSHOTS=1 the pictures land in docs/screenshots/ (README).
const shots = process.env.UPDATE_SCREENSHOTS
  ? path.join(__dirname, "..", "..", "docs", "screenshots")
  : path.join(__dirname, "..", "test-results", "screenshots");

/** A real JPEG drawn by the browser itself: a coloured block with a label. */
async function jpeg(page: Page, colour: string, width = 640, height = 480): Promise<Buffer> {
  const data = await page.evaluate(
    ([c, w, h]) => {
      const canvas = document.createElement("canvas");
      canvas.width = Number(w);
      canvas.height = Number(h);
      const g = canvas.getContext("2d")!;
      g.fillStyle = String(c);
      g.fillRect(0, 0, Number(w), Number(h));
      g.fillStyle = "#fff";
      g.font = "48px sans-serif";
      g.fillText("Kursi rusak", 40, 100);
      return canvas.toDataURL("image/jpeg", 0.9).split(",")[1];
    },
    [colour, width, height],
  );
  return Buffer.from(data, "base64");
}

async function phone(browser: Browser, email: string) {
  const context = await browser.newContext({ viewport: { width: 360, height: 780 }, hasTouch: true });
  const page = await context.newPage();
  await signIn(page, email);
  return { context, page };
}

test("on a phone, photos chosen with a new request show as thumbnails and open full size", async ({ browser }) => {
  test.setTimeout(90_000);
  const { page } = await phone(browser, accounts.requester);
  await page.goto("/tickets/new");
  await hydrated(page);
  await page.getByTestId("title").fill(`Kursi rapat patah ${Date.now()}`);
  await page.getByTestId("category").selectOption("office_furniture");
  await page.getByTestId("location").fill("Kantor Pusat Jakarta, Lantai 3");
  const row = page.getByTestId("item-row").first();
  await row.getByTestId("item-name").fill("Perbaikan kursi");
  await row.getByTestId("item-quantity").fill("1");
  await row.getByTestId("item-unit").fill("unit");
  await row.getByTestId("item-price").fill("350.000");

  // The camera button is a real file input that asks for the back camera.
  const camera = page.getByTestId("camera-input");
  await expect(camera).toHaveAttribute("capture", "environment");
  await expect(camera).toHaveAttribute("accept", "image/*");

  // Three photos chosen, one taken back out before sending.
  const [red, blue, green] = [await jpeg(page, "#b42318"), await jpeg(page, "#1c4a9c"), await jpeg(page, "#155c33")];
  await page.getByTestId("file-input").setInputFiles([
    { name: "kursi-depan.jpg", mimeType: "image/jpeg", buffer: red },
    { name: "kursi-samping.jpg", mimeType: "image/jpeg", buffer: blue },
    { name: "salah-foto.jpg", mimeType: "image/jpeg", buffer: green },
  ]);
  const pending = page.getByTestId("pending-file");
  await expect(pending).toHaveCount(3);
  await pending.filter({ hasText: "salah-foto.jpg" }).getByTestId("pending-remove").click();
  await expect(pending).toHaveCount(2);
  await expect(page.getByText("salah-foto.jpg")).toHaveCount(0);
  // Each chosen photo is previewed before it is sent.
  const preview = pending.first().locator("img");
  await expect.poll(() => preview.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBe(640);
  await page.getByTestId("pending-files").scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, "attachments-new-ticket-phone.png") });

  await page.getByTestId("submit").click();
  await expect(page).toHaveURL(/\/tickets\/[0-9a-f-]{36}$/);
  await hydrated(page);

  const files = page.getByTestId("files");
  await expect(files.getByTestId("file")).toHaveCount(2);
  await expect(files.getByTestId("file-name")).toHaveText(["kursi-depan.jpg", "kursi-samping.jpg"]);
  await expect(files.getByText("salah-foto.jpg")).toHaveCount(0);
  // The thumbnails are real images the browser decoded.
  const thumb = files.getByTestId("file-thumb").first().locator("img");
  await expect.poll(() => thumb.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBeGreaterThan(0);
  // The timeline shows them too, next to the entry that added them.
  await expect(page.getByTestId("timeline").locator(".file.compact")).toHaveCount(2);

  // Opening one: a dialog with the full image, focus inside, fits the phone.
  await files.getByTestId("file-thumb").first().click();
  const box = page.getByTestId("lightbox");
  await expect(box).toBeVisible();
  await expect(box).toHaveAttribute("role", "dialog");
  await expect(page.getByTestId("lightbox-close")).toBeFocused();
  await expect(box.getByRole("heading")).toHaveText("kursi-depan.jpg");
  const full = page.getByTestId("lightbox-image");
  await expect.poll(() => full.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBe(640);
  const rect = await full.boundingBox();
  expect(rect!.x).toBeGreaterThanOrEqual(0);
  expect(rect!.x + rect!.width).toBeLessThanOrEqual(360);
  await page.screenshot({ path: path.join(shots, "attachments-phone.png") });
  // The arrow key steps to the other photo; Escape closes.
  await page.keyboard.press("ArrowRight");
  await expect(box.getByRole("heading")).toHaveText("kursi-samping.jpg");
  await page.keyboard.press("Escape");
  await expect(box).toHaveCount(0);
  await files.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, "attachments-files-phone.png") });
  await page.getByTestId("timeline").scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, "attachments-timeline-phone.png") });

  // Another requester's browser gets "not found" for the same file.
  const src = await thumb.getAttribute("src");
  expect(src).toMatch(/^\/files\/[0-9a-f-]{36}\/thumb$/);
  const other = await phone(browser, accounts.requester2);
  const response = await other.page.request.get(src!);
  expect(response.status()).toBe(404);
});

test("without WASM, a document still goes up through the plain form", async ({ browser }) => {
  test.setTimeout(60_000);
  const { context, page } = await phone(browser, accounts.requester);
  // Make a request to attach to, through the API the page itself uses.
  const created = await page.request.post("/api/v1/tickets", {
    data: {
      title: `Nota pembelian ${Date.now()}`,
      category: "office_supplies",
      priority: "medium",
      location: "Cabang Makassar",
      items: [{ name: "Kertas A4", quantity: 2, unit: "rim", unit_price: "55000" }],
    },
  });
  expect(created.status()).toBe(201);
  const ticket = await created.json();

  const plain = await browser.newContext({
    javaScriptEnabled: false,
    viewport: { width: 360, height: 780 },
    storageState: await context.storageState(),
  });
  const noJs = await plain.newPage();
  await noJs.goto(`/tickets/${ticket.id}`);
  const form = noJs.getByTestId("upload-form");
  const pdf = Buffer.from(
    "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
  );
  await form.getByTestId("file-input").setInputFiles({ name: "nota-toko.pdf", mimeType: "application/pdf", buffer: pdf });
  await form.getByTestId("upload-send").click();
  await expect(noJs).toHaveURL(new RegExp(`/tickets/${ticket.id}#files$`));
  await expect(noJs.getByTestId("files").getByTestId("file-name")).toHaveText(["nota-toko.pdf"]);

  // A web page dressed as a PDF is refused with words, and nothing is added.
  await noJs.getByTestId("upload-form").getByTestId("file-input").setInputFiles({
    name: "nota.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("<html><script>alert(1)</script></html>"),
  });
  await noJs.getByTestId("upload-send").click();
  await expect(noJs.locator("body")).toContainText("nota.pdf");
  await noJs.goto(`/tickets/${ticket.id}`);
  await expect(noJs.getByTestId("files").getByTestId("file-name")).toHaveText(["nota-toko.pdf"]);
});

test("GA staff keep an asset's invoice with it and can take it off again", async ({ browser }) => {
  test.setTimeout(60_000);
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, accounts.agent);
  const created = await page.request.post("/api/v1/assets", {
    data: {
      name: "AC split Daikin 1 PK",
      category: "appliance",
      serial_number: `AC-${Date.now()}`,
      location: "Cabang Makassar, Ruang Rapat 2",
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const asset = await created.json();
  await page.goto(`/assets/${asset.id}`);
  await hydrated(page);
  const files = page.getByTestId("files");
  await expect(files.getByTestId("no-files")).toBeVisible();
  const pdf = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
  await files.getByTestId("file-input").setInputFiles({ name: "faktur-daikin.pdf", mimeType: "application/pdf", buffer: pdf });
  await expect(files.getByTestId("pending-file")).toHaveCount(1);
  await files.getByTestId("upload-send").click();
  await expect(files.getByTestId("file-name")).toHaveText(["faktur-daikin.pdf"]);
  await expect(files.getByTestId("pending-file")).toHaveCount(0);
  // The document downloads as an attachment, never as a page.
  const href = await files.getByTestId("file-name").getAttribute("href");
  const download = await page.request.get(href!);
  expect(download.status()).toBe(200);
  expect(download.headers()["content-disposition"]).toMatch(/^attachment/);
  expect(download.headers()["x-content-type-options"]).toBe("nosniff");
  expect((await download.body()).equals(pdf)).toBe(true);

  await files.getByTestId("file-remove").click();
  await expect(files.getByTestId("file")).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId("files").getByTestId("no-files")).toBeVisible();
});
