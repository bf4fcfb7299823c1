// A real OpenID Connect provider on loopback for the browser tests
// (npm oidc-provider). Anyone can sign in with any password; the login name
// is used as a verified email address.
import Provider from "oidc-provider";

const port = Number(process.env.OIDC_PORT ?? 3900);
const redirect = process.env.OIDC_REDIRECT_URI;
if (!redirect) throw new Error("OIDC_REDIRECT_URI is required");

const issuer = `http://127.0.0.1:${port}`;
const provider = new Provider(issuer, {
  clients: [
    {
      client_id: "gadesk-e2e",
      client_secret: process.env.OIDC_CLIENT_SECRET ?? "e2e-client-secret-not-used-elsewhere",
      redirect_uris: [redirect],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  pkce: { required: () => true },
  claims: { email: ["email", "email_verified"], profile: ["name"] },
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    const email = id.includes("@") ? id : `${id}@example.co.id`;
    return {
      accountId: id,
      async claims() {
        const name = email.split("@")[0].split(".").map((w) => w[0].toUpperCase() + w.slice(1)).join(" ");
        return { sub: id, email, email_verified: !email.startsWith("unverified"), name };
      },
    };
  },
});
provider.proxy = false;
provider.listen(port, "127.0.0.1", () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
