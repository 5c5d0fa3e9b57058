using System.Text.Json;
using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests;

/// <summary>
/// What people paste into a config snapshot: realistic (made-up) credentials of many providers, in
/// keys, in values, inside JSON, YAML, env, URL and connection-string text, nested, in arrays and as
/// field names, none of which may reach the disk; and near-misses (token counts, secret_version,
/// hashes of public data, UUIDs, prose, model names) that must be written as given.
/// </summary>
public class RedactionCorpusTests
{
    /// <summary>A config holding <paramref name="text"/> as the value of an ordinary field.</summary>
    private static string InText(string text) => JsonSerializer.Serialize(new Dictionary<string, string> { ["note"] = text });

    /// <summary>(form, config JSON, the secret that must not be written).</summary>
    public static TheoryData<string, string, string> Credentials => new()
    {
        // Keys with a well-known prefix, in text of every form.
        { "OpenAI key in an env line", InText("OPENAI_API_KEY=sk-proj-Zx8vQ2mN4pL6rT1yU3wE5aS7dF9gH0jK"), "Zx8vQ2mN4pL6rT1yU3wE5aS7dF9gH0jK" },
        { "Anthropic key in JSON text", InText("""{"anthropic":"sk-ant-api03-Qm3N5b7V9c1X2z4A6s8D0f-Gh1Jk3Lm5Np7Qr9St1Uv3Wx5Yz7"}"""), "Qm3N5b7V9c1X2z4A6s8D0f" },
        { "Anthropic key in a curl header", InText("curl https://api.anthropic.com/v1/messages -H \"x-api-key: sk-ant-api03-Tt5Yy7Uu9Ii1Oo3Pp5Aa7Ss9Dd1Ff3Gg5\""), "Tt5Yy7Uu9Ii1Oo3Pp5Aa7Ss9Dd1Ff3Gg5" },
        { "GitHub classic token under a YAML key", InText("github:\n  token: ghp_R4nd0mF4k3T0k3nV4lu3F0rT3st1ngZ9\n  org: acme"), "R4nd0mF4k3T0k3nV4lu3F0rT3st1ngZ9" },
        { "GitHub OAuth token as a URL password", InText("git clone https://x-access-token:gho_16C7e42F292c6912E7710c838347Ae178B4a@github.com/acme/ledger.git"), "16C7e42F292c6912E7710c838347Ae178B4a" },
        { "GitHub fine-grained token under GITHUB_TOKEN", """{"env": {"GITHUB_TOKEN": "github_pat_11AQZ7D3Q0aBcDeFgHiJkL_MnOpQrStUvWxYz0123456789abcdefghijkl"}}""", "MnOpQrStUvWxYz0123456789" },
        { "GitHub app token in a prefixed env name", InText("export GITHUB_TOKEN=ghs_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"), "aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789" },
        { "GitHub token as a YAML key", InText("ghp_K3yUs3dAsAF13ldN4m3F0rT3st1ngAbCd: repo-scope"), "K3yUs3dAsAF13ldN4m3F0rT3st1ngAbCd" },
        { "GitLab token in a PRIVATE-TOKEN header", InText("curl --header \"PRIVATE-TOKEN: glpat-xY9zW8vU7tS6rQ5pO4nM\" https://gitlab.example.com/api/v4/projects"), "xY9zW8vU7tS6rQ5pO4nM" },
        { "GitLab token as an oauth2 URL password", InText("https://oauth2:glpat-Aa1Bb2Cc3Dd4Ee5Ff6Gg7@gitlab.com/acme/app.git"), "Aa1Bb2Cc3Dd4Ee5Ff6Gg7" },
        { "AWS access key id in an ini line", InText("aws_access_key_id = AKIAZ7QXJ4LMNP2RSTUV"), "AKIAZ7QXJ4LMNP2RSTUV" },
        { "AWS secret key in an env line", InText("AWS_SECRET_ACCESS_KEY=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"), "Zq3vT8nB2mK5xW9pL1rY7cF4hJ6gD0sA2eU8iO3t" },
        { "AWS credentials file", InText("[default]\naws_access_key_id = ASIAQ4RS5TU6VW7XY8Z9\naws_secret_access_key = 9Kq2Lm4Np6Qr8St0Uv2Wx4Yz6Ab8Cd0Ef2Gh4Ij6\nregion = eu-west-1"), "9Kq2Lm4Np6Qr8St0Uv2Wx4Yz6Ab8Cd0Ef2Gh4Ij6" },
        { "AWS secret key under its key", """{"aws": {"secretAccessKey": "Hh7Jj9Kk1Ll3Zz5Xx7Cc9Vv1Bb3Nn5Mm7Qq9Ww1E"}}""", "Hh7Jj9Kk1Ll3Zz5Xx7Cc9Vv1Bb3Nn5Mm7Qq9Ww1E" },
        { "Google API key in a URL", InText("https://maps.googleapis.com/maps/api/geocode/json?address=x&key=AIzaSyD-8kLmN2pQ4rS6tU8vW0xY2zA4bC6dE8f"), "SyD-8kLmN2pQ4rS6tU8vW0xY2zA4bC6dE8f" },
        { "Google OAuth access token as a bearer", InText("Authorization: Bearer ya29.a0AfH6SMBx7Yq2LmN4pQ6rS8tU0vW2xY4zA6bC8dE0fG2hI4jK"), "a0AfH6SMBx7Yq2LmN4pQ6rS8tU0vW2xY4zA6bC8dE0fG2hI4jK" },
        { "Slack bot token under bot_token", """{"slack": {"bot_token": "xoxb-2837461928-4837261938471-AbCdEfGhIjKlMnOpQrStUvWx"}}""", "AbCdEfGhIjKlMnOpQrStUvWx" },
        { "Slack user token in prose", InText("slack says xoxp-1234567890-0987654321-1122334455-abcdef1234567890abcdef1234567890 works"), "abcdef1234567890abcdef1234567890" },
        { "Slack app-level token", InText("SLACK_APP=xapp-1-A0123456789-1234567890123-0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d"), "0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d" },
        { "Slack app-level token in prose", InText("socket mode with xapp-1-A09ZXCVBN77-8765432109876-ffeeddccbbaa99887766554433221100"), "ffeeddccbbaa99887766554433221100" },
        { "Slack incoming webhook URL", InText("post to https://hooks.slack.com/services/T01ABCDEF23/B04GHIJKL56/zYxWvUtSrQpOnMlKjIhGfEdC when done"), "zYxWvUtSrQpOnMlKjIhGfEdC" },
        { "Slack workflow webhook in an array", """{"notify": ["https://hooks.slack.com/workflows/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"]}""", "QwErTyUiOpAsDfGhJkLz" },
        { "Stripe live secret key in an array", """{"keys": ["pk_live_51HqZtPublishable", "sk_live_51HqZt2Kx9Lm3Np4Qr5St6Uv7Wx8Yz9Ab0Cd1Ef2Gh"]}""", "51HqZt2Kx9Lm3Np4Qr5St6Uv7Wx8Yz9Ab0Cd1Ef2Gh" },
        { "Stripe restricted key", InText("STRIPE_KEY rk_test_4eC39HqLyjWDarjtT1zdp7dc9Qw"), "4eC39HqLyjWDarjtT1zdp7dc9Qw" },
        { "Stripe webhook signing secret", InText("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw9 configured"), "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw9" },
        { "SendGrid key in text", InText("mail via 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"), "qR7sT9uV1wX3yZ5aB7cD9eF1gH3iJ5kL7mN9oP1qR3s" },
        { "Twilio API key SID", InText("twilio key SK7f3a9c2e5b8d1f4a6c9e2b5d8f1a4c7e and go"), "7f3a9c2e5b8d1f4a6c9e2b5d8f1a4c7e" },
        { "Twilio auth token under auth_token", """{"twilio": {"account_sid": "AC11112222333344445555666677778888", "auth_token": "9f8e7d6c5b4a39281706f5e4d3c2b1a0"}}""", "9f8e7d6c5b4a39281706f5e4d3c2b1a0" },
        { "Sentry DSN in prose", InText("errors go to https://3f9a2c7e5b1d4f8a6c0e2b4d6f8a0c1e@o450123.ingest.sentry.io/5512345"), "3f9a2c7e5b1d4f8a6c0e2b4d6f8a0c1e" },
        { "Sentry DSN under dsn", """{"sentry": {"dsn": "https://0a1b2c3d4e5f60718293a4b5c6d7e8f9@o1.ingest.sentry.io/42"}}""", "0a1b2c3d4e5f60718293a4b5c6d7e8f9" },
        { "Hugging Face token", InText("HF_HUB=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"), "QwErTyUiOpAsDfGhJkLzXcVbNmQwErTyUi" },
        { "npm token in .npmrc", InText("//registry.npmjs.org/:_authToken=npm_Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78"), "Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78" },
        { "PyPI token in .pypirc", InText("[pypi]\nusername = __token__\npassword = pypi-AgEIcHlwaS5vcmcCJDAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMAACKlsz"), "AgEIcHlwaS5vcmcCJDAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMAACKlsz" },
        { "DigitalOcean token", InText("doctl auth init -t dop_v1_0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"), "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9" },
        { "Shopify admin token", InText("X-Shopify-Access-Token: shpat_0123456789abcdef0123456789abcdef"), "0123456789abcdef0123456789abcdef" },
        { "Databricks token in prose", InText("use dapi0123456789abcdef0123456789abcdef for the job"), "dapi0123456789abcdef0123456789abcdef" },
        { "Groq key", InText("GROQ gsk_Q1w2E3r4T5y6U7i8O9p0A1s2D3f4G5h6J7k8L9z0X1c2"), "Q1w2E3r4T5y6U7i8O9p0A1s2D3f4G5h6J7k8L9z0X1c2" },
        { "JSON web token in a cookie header", InText("Cookie: session=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTQyIiwiaWF0IjoxNzAwMDAwMDAwfQ.Kx7vQ2mN4pL6rT1yU3wE5aS7dF9gH0jKzX8c"), "Kx7vQ2mN4pL6rT1yU3wE5aS7dF9gH0jKzX8c" },
        { "JSON web token alone", InText("id eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJhY21lIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ here"), "c2lnbmF0dXJlLXNpZ25hdHVyZQ" },
        // Headers and schemes.
        { "letters-only bearer token", InText("Authorization: Bearer QWxhZGRpbmdPcGVuU2VzYW1lVG9rZW4"), "QWxhZGRpbmdPcGVuU2VzYW1lVG9rZW4" },
        { "letters-only bearer in prose", InText("call it with bearer AbCdEfGhIjKlMnOpQrStUvWxYz then"), "AbCdEfGhIjKlMnOpQrStUvWxYz" },
        { "lowercase letters-only bearer", InText("Bearer abcdefghijklmnopqrstuvwxyzabcd"), "abcdefghijklmnopqrstuvwxyzabcd" },
        { "basic credentials", InText("Authorization: Basic YWRtaW46czNjcjN0UGFzcw=="), "YWRtaW46czNjcjN0UGFzcw" },
        { "token scheme", InText("Authorization: token 4f8a9c2e1b3d5f7a9c1e3b5d7f9a1c3e"), "4f8a9c2e1b3d5f7a9c1e3b5d7f9a1c3e" },
        { "headers as an array of lines", """{"headers": ["Accept: application/json", "X-Api-Key: 7c4a8d09ca3762af61e59520943dc26494f8941b"]}""", "7c4a8d09ca3762af61e59520943dc26494f8941b" },
        // Private key blocks.
        { "PEM RSA private key", InText("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAuFakeFakeFakeKeyMaterial0123456789\n-----END RSA PRIVATE KEY-----"), "MIIEowIBAAKCAQEAuFakeFakeFakeKeyMaterial0123456789" },
        { "OpenSSH private key", InText("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQFakeSsh\n-----END OPENSSH PRIVATE KEY-----\n"), "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQFakeSsh" },
        { "PGP private key block", InText("-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBGFakePgpKeyMaterialAbCdEfGh0123456789\n=AbCd\n-----END PGP PRIVATE KEY BLOCK-----"), "lQOYBGFakePgpKeyMaterialAbCdEfGh0123456789" },
        { "PEM key without its END line", InText("key: -----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIFakeEcKeyMaterialTruncated"), "MHcCAQEEIFakeEcKeyMaterialTruncated" },
        // Connection strings and URLs.
        { "SQL Server connection string", InText("Server=tcp:prod.database.windows.net,1433;Initial Catalog=ledger;User ID=app;Password=Tr0ub4dor!3x;Encrypt=True"), "Tr0ub4dor!3x" },
        { "Postgres URL", InText("DATABASE_URL=postgresql://ledger_app:pG7%21xQ2mN@db.internal:5432/ledger?sslmode=require"), "pG7%21xQ2mN" },
        { "MongoDB SRV URL", InText("mongodb+srv://admin:M0ng0Pa55w0rd@cluster0.abcde.mongodb.net/prod"), "M0ng0Pa55w0rd" },
        { "Redis URL with an empty user", InText("redis://:R3d1sS3cr3tK3y@cache:6379/0"), "R3d1sS3cr3tK3y" },
        { "proxy URL", InText("HTTPS_PROXY=http://proxyuser:Pr0xyP4ss@proxy.corp:3128"), "Pr0xyP4ss" },
        { "mysql command line", InText("mysql -h db -u root --password=MyS3cretPw ledger"), "MyS3cretPw" },
        { "Azure storage connection string", InText("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg==;EndpointSuffix=core.windows.net"), "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg" },
        { "Azure SAS URL", InText("https://acct.blob.core.windows.net/c/b.txt?sv=2022-11-02&sp=r&se=2026-12-31T00:00:00Z&sig=aBcD3fGh1jKlMn0pQrStUvWxYz%2B12345678%3D"), "aBcD3fGh1jKlMn0pQrStUvWxYz" },
        // Values after a secret's name, in JSON, YAML and env text.
        { "JSON inside a string", InText("""{"password":"c0rrect-h0rse"}"""), "c0rrect-h0rse" },
        { "JSON inside a string, spaced, with spaces in the value", InText("""{"db": {"user": "app", "password": "correct horse battery staple"}}"""), "correct horse battery staple" },
        { "JSON escaped inside a string", InText("""{\"api_key\": \"abc123def456ghi\"}"""), "abc123def456ghi" },
        { "YAML without a space", InText("password:Xq9vB2zz"), "Xq9vB2zz" },
        { "YAML with a quoted value", InText("db:\n  password: \"quoted pw 9\"\n  port: 5432"), "quoted pw 9" },
        { "Kubernetes secret data", InText("kind: Secret\ndata:\n  password: cGFzc3dvcmQxMjM=\n"), "cGFzc3dvcmQxMjM" },
        { "env DB_PASSWORD", InText("DB_PASSWORD=Pg-S3cret-77"), "Pg-S3cret-77" },
        { "docker -e POSTGRES_PASSWORD", InText("docker run -e POSTGRES_PASSWORD=d0ck3rPw -d postgres"), "d0ck3rPw" },
        { "PowerShell env assignment", InText("$env:OPENAI_API_KEY = 'k-ps-0123456789'"), "k-ps-0123456789" },
        { "client secret in a query", InText("POST /token?grant_type=client_credentials&client_secret=cs_9Zx8Yw7Vu6&scope=api"), "cs_9Zx8Yw7Vu6" },
        // Values under secret-named keys.
        { "key pwd", """{"pwd": "Summer2026!"}""", "Summer2026!" },
        { "key pass", """{"smtp": {"user": "mailer", "pass": "letmein-42"}}""", "letmein-42" },
        { "key pw", """{"pw": "hunter2hunter2"}""", "hunter2hunter2" },
        { "key dsn", """{"dsn": "Driver={ODBC Driver 18};Server=db;Uid=app;Pwd=0dbcPw!"}""", "0dbcPw!" },
        { "key signature", """{"signature": "t=1700000000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd"}""", "5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd" },
        { "key connectionString", """{"connectionString": "Host=db;Username=app;Database=ledger"}""", "Username=app" },
        { "key tokenValue", """{"tokenValue": "plainletters"}""", "plainletters" },
        { "key auth_header", """{"auth_header": "Digest username=app"}""", "username=app" },
        { "key sessionCookie", """{"sessionCookie": "a1b2c3"}""", "a1b2c3" },
        { "number under a secret key", """{"pin_password": 482913}""", "482913" },
        // Nested and in arrays.
        { "nested credentials object", """{"services": {"billing": {"credentials": {"client_id": "billing", "client_secret": "cs_Q2w3E4r5T6y7"}}}}""", "cs_Q2w3E4r5T6y7" },
        { "array of provider objects", """{"providers": [{"name": "openai", "apiKey": "k-abc-123-def"}, {"name": "local"}]}""", "k-abc-123-def" },
        { "secrets array", """{"secrets": ["alpha-one", "beta-two"]}""", "alpha-one" },
        // Secrets used as field names.
        { "a key as a field name", """{"sk-proj-Kd83jfQ0pLm2Nb4Vc6Xz8Aa1Ss3Dd5": "enabled"}""", "Kd83jfQ0pLm2Nb4Vc6Xz8Aa1Ss3Dd5" },
        { "a token as a nested field name", """{"allow": {"ghp_N4m3dF13ldT0k3nAbCdEfGhIjKlMnOp12": true}}""", "N4m3dF13ldT0k3nAbCdEfGhIjKlMnOp12" },
        { "a connection string as a field name", """{"pools": {"Server=db;Password=Fi3ldN4me;": 4}}""", "Fi3ldN4me" },
    };

    /// <summary>(what it is, config JSON) that must be written exactly as given.</summary>
    public static TheoryData<string, string> NearMisses => new()
    {
        { "max_tokens", """{"max_tokens": 4096, "max_token": 12}""" },
        { "secret_version", """{"secret_version": 3, "password_version": "v2"}""" },
        { "secret_version in text", InText("secret_version=7 rotated") },
        { "token counts", """{"token_count": 1532, "input_tokens": 42, "output_tokens": 28, "tokens_per_second": 31.5}""" },
        { "token counts in text", InText("input_tokens=42 output_tokens=28 cost=0.000003 token_count: 70") },
        { "tokenizer", """{"tokenizer": "cl100k_base"}""" },
        { "sha256 of a public file", InText("sha256=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08") },
        { "md5 of an empty file", InText("md5: d41d8cd98f00b204e9800998ecf8427e") },
        { "git commit", InText("commit 3a1f5e9c2b7d4e6f8a0c1b3d5e7f9a2c4b6d8e0f (HEAD -> main)") },
        { "a UUID as a session", """{"session_id": "0f8fad5b-d9cb-469f-a165-70867728950e"}""" },
        { "a UUID in text", InText("request 7c9e6679-7425-40de-944b-e07fc1f90ae7 done") },
        { "model names", """{"models": ["claude-3-5-sonnet-20241022", "gpt-4o-mini-2024-07-18", "llama-3.1-8b-instruct", "text-embedding-3-small"]}""" },
        { "prose about passwords", InText("The password policy requires twelve characters and a symbol.") },
        { "prose about keys", InText("Rotate the API key every 90 days; see the secrets runbook.") },
        { "prose with scheme words", InText("basic auth is off, the bearer of bad news; Token limits apply to every request") },
        { "an expired bearer token", InText("Bearer token expired; please sign in again") },
        { "password policy fields", """{"password_policy": "strong", "password_length": 16, "password_required": false}""" },
        { "the name of a key's variable", """{"api_key_env": "OPENAI_API_KEY", "api_key_path": "~/.config/key"}""" },
        { "the name of a key's variable in text", InText("api_key_env=OPENAI_API_KEY") },
        { "a secret's name", """{"secret_name": "prod/db/password"}""" },
        { "URLs without userinfo", InText("https://api.openai.com/v1/chat/completions?stream=true&page=2") },
        { "an ssh URL with a user", InText("ssh://git@github.com/acme/ledger.git") },
        { "e-mail addresses", InText("mailto:ops@example.com or ops@example.com") },
        { "short look-alikes", InText("AKIA123 SKU-42 sk-learn task-sk-77") },
        { "times and ratios", InText("at 12:30:45, ratio 16:9") },
        { "sampling parameters", """{"temperature": 0.2, "top_p": 0.9, "cost": 0.000003}""" },
        { "the word key", """{"key": "value", "keys": ["a", "b"], "keyword": "x", "monkey": "y"}""" },
        { "YAML with an ordinary key", InText("key: value\nregion: eu-west-1") },
        { "author and authority", """{"author": "Jane Doe", "authority": "login.microsoftonline.com"}""" },
        { "oauth settings", """{"oauth": {"enabled": true, "provider": "github"}, "use_auth": true}""" },
        { "passes and bypass", InText("passes: 3, bypass: false, pass_rate=0.97") },
        { "a token type", InText("token_type: Bearer, expires_in=3600") },
        { "a base64 public image", InText("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==") },
        { "a Windows path", InText("C:\\Users\\runner\\work\\ledger") },
        { "a request id header", InText("x-request-id: 4f1c2a9e") },
        { "file lists", """{"files": ["src/Security/SecretRedactor.cs", "docs/secrets.md"]}""" },
        { "a Twilio account SID", """{"account_sid": "AC11112222333344445555666677778888"}""" },
        { "a publishable key", InText("pk_live_51HqZtPublishable") },
        { "empty and boolean secrets", """{"password": "", "token": null, "api_key": false, "secrets": []}""" },
    };

    private static LogEvent Redacted(string configJson)
    {
        using var document = JsonDocument.Parse(configJson);
        var original = new LogEvent("nav", Events.Start, "s") { Config = document.RootElement.Clone() };
        return SecretRedactor.Redact(original);
    }

    [Theory]
    [MemberData(nameof(Credentials))]
    public void ACredentialNeverReachesTheLine(string form, string configJson, string secret)
    {
        var line = System.Text.Encoding.UTF8.GetString(AuditLineFormatter.Format(Redacted(configJson)));

        Assert.False(line.Contains(secret, StringComparison.Ordinal), $"{form}: {line}");
        Assert.Contains(SecretRedactor.Marker, line, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(NearMisses))]
    public void ANearMissIsWrittenAsGiven(string what, string configJson)
    {
        using var document = JsonDocument.Parse(configJson);
        var original = new LogEvent("nav", Events.Start, "s") { Config = document.RootElement.Clone() };

        var written = SecretRedactor.Redact(original);

        Assert.True(ReferenceEquals(original, written), $"{what}: {System.Text.Encoding.UTF8.GetString(AuditLineFormatter.Format(written))}");
    }

    [Fact]
    public void TheCorpusIsAsLargeAsPromised()
    {
        Assert.True(Credentials.Count >= 60, $"{Credentials.Count} credentials");
        Assert.True(NearMisses.Count >= 30, $"{NearMisses.Count} near-misses");
    }

    [Fact]
    public void ASecretUsedAsAnExtraFieldNameIsReplacedAndTwoSuchNamesStayApart()
    {
        var e = new LogEvent("nav", Events.Start, "s")
        {
            Extras =
            [
                new("ghp_0123456789abcdefghijklmnopqrstuvwxyzAB", JsonValues.From("a", "x")),
                new("sk-proj-0123456789abcdefghijklmnop", JsonValues.From("b", "x")),
                new("ticket", JsonValues.From("T-1", "x")),
            ],
        };

        var written = SecretRedactor.Redact(e);

        Assert.Equal(["[REDACTED]", "[REDACTED]-2", "ticket"], written.Extras.Select(field => field.Key));
        Assert.Equal(["a", "b", "T-1"], written.Extras.Select(field => field.Value.GetString()));
    }

    [Theory]
    [InlineData("DB_PASSWORD=Pg-S3cret-77 next", "DB_PASSWORD=[REDACTED] next")]
    [InlineData("{\"password\":\"c0rrect-h0rse\",\"user\":\"app\"}", "{\"password\":\"[REDACTED]\",\"user\":\"app\"}")]
    [InlineData("password: x", "password: [REDACTED]")]
    [InlineData("Authorization: Bearer QWxhZGRpbmdPcGVuU2VzYW1lVG9rZW4", "Authorization: Bearer [REDACTED]")]
    [InlineData("https://hooks.slack.com/services/T01ABCDEF23/B04GHIJKL56/zYxWvUtSrQpOnMlKjIhGfEdC", "https://hooks.slack.com/services/[REDACTED]")]
    [InlineData("https://3f9a2c7e5b1d4f8a6c0e2b4d6f8a0c1e@o450123.ingest.sentry.io/5512345", "https://[REDACTED]@o450123.ingest.sentry.io/5512345")]
    [InlineData("a\n-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOY\n-----END PGP PRIVATE KEY BLOCK-----\nb", "a\n[REDACTED]\nb")]
    [InlineData("--password=MyS3cretPw ledger", "--password=[REDACTED] ledger")]
    public void OnlyTheSecretPartOfATextIsReplaced(string text, string expected) => Assert.Equal(expected, SecretRedactor.RedactText(text));
}
