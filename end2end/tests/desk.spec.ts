import { Browser, expect, Page, test } from "@playwright/test";
import { accounts, hydrated, signIn } from "./helpers";

async function as(browser: Browser, email: string, viewport = { width: 1280, height: 860 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

/** A cheap one-item request (pending, for GA triage) made through the API. */
async function createTicket(page: Page, title: string, category: string) {
  const r = await page.request.post("/api/v1/tickets", {
    data: {
      title,
      category,
      priority: "medium",
      location: "Kantor Pusat Jakarta, Lantai 3",
      items: [{ name: "Kopi bubuk 500 g", quantity: 2, unit: "pak", unit_price: "65000" }],
    },
  });
  expect(r.status(), await r.text()).toBe(201);
  const t = await r.json();
  return { id: t.id as string, number: t.number as string };
}

async function openDesk(page: Page, path = "/desk") {
  await page.goto(path);
  await hydrated(page);
  await expect(page.getByTestId("desk-board")).toBeVisible();
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-state", "live");
  await expect(page.getByTestId("live-status")).toHaveText("● Live", { useInnerText: true });
}

const card = (page: Page, column: string, number: string) =>
  page.getByTestId(column).getByTestId("queue-item").filter({ hasText: number });

test("a second agent's board follows the first agent's work without reloading", async ({ browser }) => {
  test.setTimeout(90_000);
  const requester = await as(browser, accounts.requester2);
  const siti = await as(browser, accounts.agent);
  const rina = await as(browser, accounts.admin);
  // Both watch general service requests.
  await openDesk(siti, "/desk?category=general_service");
  await openDesk(rina, "/desk?category=general_service");
  // A reload would lose this mark.
  await rina.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));

  // A new request appears on both boards by itself.
  const { number } = await createTicket(requester, `Galon air ${Date.now()}`, "general_service");
  await expect(card(rina, "desk-triage", number)).toBeVisible();
  await expect(card(siti, "desk-triage", number)).toBeVisible();

  // Siti accepts it: it moves to Approved on Rina's board.
  await card(siti, "desk-triage", number).getByTestId("accept").click();
  await expect(siti.getByTestId("notice")).toContainText(`${number}: approved`);
  await expect(card(rina, "desk-approved", number)).toBeVisible();
  await expect(card(rina, "desk-triage", number)).toHaveCount(0);
  await expect(card(rina, "desk-approved", number).getByTestId("assign-me")).toBeVisible();

  // Siti takes it: Rina sees who has it, and can no longer take it.
  await card(siti, "desk-approved", number).getByTestId("assign-me").click();
  await expect(card(rina, "desk-approved", number).getByTestId("card-assignee")).toHaveText("Assigned to Siti Rahman");
  await expect(card(rina, "desk-approved", number).getByTestId("assign-me")).toHaveCount(0);

  // Siti starts work: the card moves to In progress for both.
  await card(siti, "desk-approved", number).getByTestId("start").click();
  await expect(card(rina, "desk-progress", number)).toBeVisible();
  await expect(card(rina, "desk-approved", number)).toHaveCount(0);
  // Only the assignee completes it.
  await expect(card(siti, "desk-progress", number).getByTestId("complete")).toBeVisible();
  await expect(card(rina, "desk-progress", number).getByTestId("complete")).toHaveCount(0);

  expect(await rina.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
});

test("filters live in the address and survive a reload", async ({ browser }) => {
  test.setTimeout(60_000);
  const requester = await as(browser, accounts.requester);
  const stamp = Date.now();
  const pantry = await createTicket(requester, `Teh celup ${stamp}`, "pantry_supplies");
  const room = await createTicket(requester, `Ruang rapat ${stamp}`, "meeting_room");

  const agent = await as(browser, accounts.agent);
  await openDesk(agent);
  await expect(card(agent, "desk-triage", pantry.number)).toBeVisible();
  await expect(card(agent, "desk-triage", room.number)).toBeVisible();

  await agent.getByTestId("filter-category").selectOption("pantry_supplies");
  await agent.getByTestId("filter-apply").click();
  await expect(agent).toHaveURL(/\/desk\?category=pantry_supplies/);
  await expect(card(agent, "desk-triage", pantry.number)).toBeVisible();
  await expect(card(agent, "desk-triage", room.number)).toHaveCount(0);
  await expect(agent.getByTestId("desk-board").getByTestId("card-category").filter({ hasText: "Meeting room" })).toHaveCount(0);

  // The filter is in the address: a reload keeps it, form and board alike.
  await agent.reload();
  await hydrated(agent);
  await expect(agent.getByTestId("filter-category")).toHaveValue("pantry_supplies");
  await expect(card(agent, "desk-triage", pantry.number)).toBeVisible();
  await expect(card(agent, "desk-triage", room.number)).toHaveCount(0);

  // Nothing of mine in this category yet.
  await agent.getByTestId("filter-assignee").selectOption("me");
  await agent.getByTestId("filter-apply").click();
  await expect(agent).toHaveURL(/assignee=me/);
  await expect(agent.getByTestId("desk-triage").getByTestId("column-empty")).toBeVisible();

  // Back goes to the previous filters; Clear shows everything again.
  await agent.goBack();
  await expect(card(agent, "desk-triage", pantry.number)).toBeVisible();
  await agent.getByTestId("filter-clear").first().click();
  await expect(agent).toHaveURL(/\/desk$/);
  await expect(card(agent, "desk-triage", room.number)).toBeVisible();

  // A made-up filter is refused with a way out.
  await agent.goto("/desk?category=snacks");
  await expect(agent.getByTestId("desk-error")).toBeVisible();
  await expect(agent.getByTestId("desk-error").getByTestId("filter-clear")).toBeVisible();
});

test("the board fits a 360 px phone and puts four columns side by side on a wide screen", async ({ browser }) => {
  test.setTimeout(60_000);
  const requester = await as(browser, accounts.requester);
  const { number } = await createTicket(requester, `Sabun cuci tangan dengan nama yang sangat panjang sekali ${Date.now()}`, "pantry_supplies");

  const phone = await as(browser, accounts.agent, { width: 360, height: 780 });
  await openDesk(phone, "/desk?category=pantry_supplies");
  await expect(card(phone, "desk-triage", number)).toBeVisible();
  expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  // Columns stack on a phone.
  const boxes = await Promise.all(
    ["desk-triage", "desk-approved", "desk-progress", "desk-completed"].map((t) => phone.getByTestId(t).boundingBox()),
  );
  for (let i = 1; i < boxes.length; i++) expect(boxes[i]!.y).toBeGreaterThan(boxes[i - 1]!.y);
  // Buttons are big enough to tap.
  for (const button of [
    card(phone, "desk-triage", number).getByTestId("accept"),
    card(phone, "desk-triage", number).getByTestId("assign-me"),
    phone.getByTestId("filter-apply"),
  ]) {
    expect((await button.boundingBox())!.height).toBeGreaterThanOrEqual(44);
  }

  const wide = await as(browser, accounts.agent, { width: 1440, height: 900 });
  await openDesk(wide);
  const columns = await Promise.all(
    ["desk-triage", "desk-approved", "desk-progress", "desk-completed"].map((t) => wide.getByTestId(t).boundingBox()),
  );
  for (const box of columns) expect(Math.abs(box!.y - columns[0]!.y)).toBeLessThan(2);
  for (let i = 1; i < columns.length; i++) expect(columns[i]!.x).toBeGreaterThan(columns[i - 1]!.x);
});
