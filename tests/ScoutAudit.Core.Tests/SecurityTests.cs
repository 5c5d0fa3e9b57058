using System.Text;
using System.Text.Json;
using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests;

/// <summary>
/// Nobody else may read the log, secrets never reach it, and hostile text in it stays inert: files
/// and directories are owner-only whatever the umask, secrets in config and extra fields are redacted
/// (by key and by shape) unless the caller opts out, ordinary fields are left alone, and control
/// characters are stored escaped.
/// </summary>
public class SecurityTests
{
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static LogEvent WithConfig(string configJson, params (string Name, object? Value)[] extras) =>
        new("nav", Events.Start, "s")
        {
            Config = Json(configJson),
            Extras = [.. extras.Select(e => new KeyValuePair<string, JsonElement>(e.Name, JsonValues.From(e.Value, e.Name)))],
        };

    private static string LineOf(LogEvent e, bool redact = true)
    {
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        using (var log = new AuditLog(path)) log.Append(e, redact);
        return File.ReadAllText(path);
    }

    [LinuxFact]
    public void EveryFileAndDirectoryALogCreatesIsForItsOwnerOnlyWhateverTheUmask()
    {
        if (!OperatingSystem.IsLinux()) return; // the attribute skips it there
        using var folder = new TempFolder();
        var path = folder.File("made", "by", "the", "log", "audit.jsonl");

        // A writer process under umask 000 (nothing masked), appending, rotating by size and on demand.
        using (var writer = new LoadWriterProcess(path, "w", 3_100, 64 * 1024, rotateEvery: 1_000, shellPrefix: "umask 000"))
        {
            writer.WaitForExit(TimeSpan.FromSeconds(60));
            Assert.True(writer.ExitCode == 0 && writer.Errors == "", $"the writer exited with {writer.ExitCode}: {writer.Errors}");
        }

        var directories = Directory.GetDirectories(folder.File("made"), "*", SearchOption.AllDirectories).Append(folder.File("made")).ToList();
        Assert.Equal(4, directories.Count);
        foreach (var directory in directories) Assert.Equal((directory, OwnerDirectory), (directory, File.GetUnixFileMode(directory)));
        var files = Directory.GetFiles(folder.File("made"), "*", SearchOption.AllDirectories);
        foreach (var file in files) Assert.Equal((file, OwnerFile), (file, File.GetUnixFileMode(file)));
        var names = files.Select(Path.GetFileName).ToList();
        Assert.Contains("audit.jsonl", names);
        Assert.Contains("audit.jsonl.lock", names);
        Assert.Contains("audit.jsonl.seal-intent", names);
        Assert.Contains("audit.jsonl.rotate-lock", names);
        Assert.Contains("audit.jsonl.chain-lock", names);
        Assert.Contains("audit.index.jsonl", names);
        Assert.True(names.Count(n => n!.EndsWith(".jsonl.gz", StringComparison.Ordinal)) >= 3, string.Join(", ", names));
    }

    [Fact]
    public void ASealedSegmentWaitingForItsArchiveIsForItsOwnerOnly()
    {
        if (OperatingSystem.IsWindows()) return; // ACLs are inherited there; the Unix modes are what this checks
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        using (var log = new AuditLog(path)) log.Append(Events.At(Events.Start));

        var files = new LogFiles(path);
        var sealedName = new LogRotation(files, AuditLogOptions.Default).Seal(minimumSize: null)!;

        Assert.Equal(OwnerFile, File.GetUnixFileMode(files.PathOf(sealedName + ArchiveName.SealedSuffix)));
    }

    [Theory]
    [InlineData("api_key")]
    [InlineData("apiKey")]
    [InlineData("ApiKey")]
    [InlineData("apikey")]
    [InlineData("OPENAI_API_KEY")]
    [InlineData("x-api-key")]
    [InlineData("password")]
    [InlineData("Password")]
    [InlineData("db_password")]
    [InlineData("passwd")]
    [InlineData("passphrase")]
    [InlineData("secret")]
    [InlineData("client_secret")]
    [InlineData("clientSecret")]
    [InlineData("aws_secret_access_key")]
    [InlineData("token")]
    [InlineData("access_token")]
    [InlineData("accessToken")]
    [InlineData("refresh_token")]
    [InlineData("id_token")]
    [InlineData("auth_token")]
    [InlineData("authorization")]
    [InlineData("Authorization")]
    [InlineData("Proxy-Authorization")]
    [InlineData("private_key")]
    [InlineData("privateKey")]
    [InlineData("Ocp-Apim-Subscription-Key")]
    [InlineData("credentials")]
    [InlineData("cookie")]
    [InlineData("bearer")]
    public void AFieldNamedLikeASecretIsASecret(string name) => Assert.True(SecretRedactor.IsSecretName(name), name);

    [Theory]
    [InlineData("max_tokens")]
    [InlineData("max_token")]
    [InlineData("input_tokens")]
    [InlineData("output_tokens")]
    [InlineData("prompt_tokens")]
    [InlineData("completion_tokens")]
    [InlineData("token_count")]
    [InlineData("token_limit")]
    [InlineData("tokens_per_second")]
    [InlineData("tokens")]
    [InlineData("tokenizer")]
    [InlineData("token_type")]
    [InlineData("passage")]
    [InlineData("passes")]
    [InlineData("bypass")]
    [InlineData("password_policy")]
    [InlineData("password_length")]
    [InlineData("secret_name")]
    [InlineData("secretary")]
    [InlineData("api_key_path")]
    [InlineData("api_key_env")]
    [InlineData("key")]
    [InlineData("keys")]
    [InlineData("keyword")]
    [InlineData("monkey")]
    [InlineData("author")]
    [InlineData("authority")]
    [InlineData("oauth")]
    [InlineData("auth_method")]
    [InlineData("session_id")]
    [InlineData("model")]
    [InlineData("temperature")]
    public void AnOrdinaryFieldIsNotASecret(string name) => Assert.False(SecretRedactor.IsSecretName(name), name);

    [Theory]
    [InlineData("Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "Bearer [REDACTED]")]
    [InlineData("bearer abcdef0123456789", "bearer [REDACTED]")]
    [InlineData("Authorization: Basic dXNlcjpwYXNz", "Authorization: Basic [REDACTED]")]
    [InlineData("Basic dXNlcjpwYXNzd29yZA==", "Basic [REDACTED]")]
    [InlineData("curl -H 'Authorization: Bearer abc.def.ghi123' https://x", "curl -H 'Authorization: Bearer [REDACTED]' https://x")]
    [InlineData("{\"Authorization\": \"token 0123456789abcdef\"}", "{\"Authorization\": \"token [REDACTED]\"}")]
    [InlineData("Server=db;User Id=sa;Password=hunter2;Encrypt=true", "Server=db;User Id=sa;Password=[REDACTED];Encrypt=true")]
    [InlineData("Host=db;Pwd='p;w';Port=5432", "Host=db;Pwd=[REDACTED];Port=5432")]
    [InlineData("postgres://app:s3cret@db:5432/ledger", "postgres://app:[REDACTED]@db:5432/ledger")]
    [InlineData("https://api.example.com/cb?access_token=abc123&page=2", "https://api.example.com/cb?access_token=[REDACTED]&page=2")]
    [InlineData("password: hunter2", "password: [REDACTED]")]
    [InlineData("use sk-proj-Abc123def456ghi789jkl012mno now", "use [REDACTED] now")]
    [InlineData("sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789", "[REDACTED]")]
    [InlineData("ghp_0123456789abcdefghijklmnopqrstuvwxyzAB", "[REDACTED]")]
    [InlineData("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "[REDACTED]")]
    [InlineData("key AKIAIOSFODNN7EXAMPLE here", "key [REDACTED] here")]
    [InlineData("xoxb-1234567890-abcdefghij", "[REDACTED]")]
    [InlineData("AIzaSyA-0123456789abcdefghijklmnopqrstu", "[REDACTED]")]
    [InlineData("hf_abcdefghijklmnopqrstuvwxyz0123456789", "[REDACTED]")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\nafter", "[REDACTED]\nafter")]
    public void ASecretRecognisedByItsShapeIsReplacedAndTheRestKept(string text, string expected) =>
        Assert.Equal(expected, SecretRedactor.RedactText(text));

    [Theory]
    [InlineData("basic configuration settings")]
    [InlineData("basic auth is off")]
    [InlineData("the bearer of bad news")]
    [InlineData("Token limits apply to every request")]
    [InlineData("max_tokens=512")]
    [InlineData("tokenizer=cl100k_base")]
    [InlineData("token_count=3; input_tokens=42")]
    [InlineData("a passage about passwords")]
    [InlineData("https://example.com/docs?page=2&sort=asc")]
    [InlineData("mailto:someone@example.com")]
    [InlineData("sk-learn")]
    [InlineData("risk-assessment-framework-version-two")]
    [InlineData("AKIA123")]
    [InlineData("llama-3.1-8b-instruct")]
    [InlineData("short")]
    public void OrdinaryTextIsNotRedacted(string text) => Assert.Same(text, SecretRedactor.RedactText(text));

    [Fact]
    public void SecretsInConfigAndExtraFieldsAreRedactedOnDiskAndOrdinaryFieldsAreKept()
    {
        var e = WithConfig("""
            {"model": "gpt-4o", "max_tokens": 512, "input_tokens": 42, "token_count": 3, "tokenizer": "o200k", "passage": "long text",
             "api_key": "sk-not-a-real-key", "apiKey": "abc", "temperature": 0.2, "weights": [1.0, 2, 1e+20],
             "connection": {"username": "bob", "password": "hunter2", "headers": {"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig_sig_sig"}},
             "access_token": "ya29.token", "refresh_token": "1//refresh", "private_key": {"pem": "---"}, "secrets": ["a", "b"],
             "dsn": "Server=db;User Id=sa;Password=hunter2;", "callbacks": ["https://x/cb?token=tok123", "https://y/ok"],
             "basic_auth": {"user": "bob", "pass": "x"}, "use_auth": true, "password_policy": "strong", "empty_password": "", "pin_password": 1234}
            """,
            ("ticket", "T-1"), ("client_secret", "cs-123"), ("output_tokens", 28), ("note", "deploy key ghp_0123456789abcdefghijklmnopqrstuvwxyzAB"));

        var line = LineOf(e);

        Assert.Equal(
            "{\"ts\": \"2026-02-13T14:00:00.000Z\", \"event\": \"nav\", \"session_id\": \"s\", \"config\": " +
            "{\"model\": \"gpt-4o\", \"max_tokens\": 512, \"input_tokens\": 42, \"token_count\": 3, \"tokenizer\": \"o200k\", \"passage\": \"long text\", " +
            "\"api_key\": \"[REDACTED]\", \"apiKey\": \"[REDACTED]\", \"temperature\": 0.2, \"weights\": [1.0, 2, 1e+20], " +
            "\"connection\": {\"username\": \"bob\", \"password\": \"[REDACTED]\", \"headers\": {\"Authorization\": \"[REDACTED]\"}}, " +
            "\"access_token\": \"[REDACTED]\", \"refresh_token\": \"[REDACTED]\", \"private_key\": \"[REDACTED]\", \"secrets\": \"[REDACTED]\", " +
            "\"dsn\": \"[REDACTED]\", \"callbacks\": [\"https://x/cb?token=[REDACTED]\", \"https://y/ok\"], " +
            "\"basic_auth\": \"[REDACTED]\", \"use_auth\": true, \"password_policy\": \"strong\", \"empty_password\": \"\", \"pin_password\": \"[REDACTED]\"}, " +
            "\"ticket\": \"T-1\", \"client_secret\": \"[REDACTED]\", \"output_tokens\": 28, \"note\": \"deploy key [REDACTED]\"}\n",
            line);
    }

    [Fact]
    public void TheCallerCanOptOutOfRedactionPerLogOrPerEvent()
    {
        var e = WithConfig("""{"api_key": "sk-not-a-real-key", "dsn": "Password=hunter2;"}""", ("token", "abc"));
        const string verbatim = "\"config\": {\"api_key\": \"sk-not-a-real-key\", \"dsn\": \"Password=hunter2;\"}, \"token\": \"abc\"}\n";

        Assert.EndsWith(verbatim, LineOf(e, redact: false));

        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        using (var log = new AuditLog(path, new AuditLogOptions { RedactSecrets = false }))
        {
            log.Append(e);
            log.Append(e, redactSecrets: true);
        }
        var lines = File.ReadAllLines(path);
        Assert.EndsWith(verbatim.TrimEnd('\n'), lines[0]);
        Assert.EndsWith("\"config\": {\"api_key\": \"[REDACTED]\", \"dsn\": \"[REDACTED]\"}, \"token\": \"[REDACTED]\"}", lines[1]);
    }

    [Fact]
    public void AppendReturnsTheEventAsWrittenAndAnEventWithoutSecretsIsWrittenAsItIs()
    {
        using var folder = new TempFolder();
        using var log = new AuditLog(folder.File("audit.jsonl"));
        var plain = WithConfig("""{"max_tokens": 512, "n": 1.0}""", ("input_tokens", 3));
        var secret = WithConfig("""{"password": "x"}""");

        Assert.Same(plain, log.Append(plain, redactSecrets: true));
        var written = log.Append(secret, redactSecrets: true);
        Assert.NotSame(secret, written);
        Assert.Equal("[REDACTED]", written.Config!.Value.GetProperty("password").GetString());
        Assert.Equal("x", secret.Config!.Value.GetProperty("password").GetString()); // the caller's event is not changed
        Assert.Equal((secret.Timestamp, secret.Event, secret.SessionId), (written.Timestamp, written.Event, written.SessionId));
    }

    [Fact]
    public void HostileTextIsStoredEscapedOneLinePerEventAndReadBackUnchanged()
    {
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        string[] hostile = ["two\nlines", "para\u2028graph\u2029", "\u001b[31mred\u001b[0m", "\u001b]0;title\u0007", "bidi\u202Eevil", "nul\0byte", "del\u007f"];
        using (var log = new AuditLog(path))
        {
            foreach (var text in hostile)
                log.Append(new LogEvent("nav", Events.Start, "s") { Reason = text, Model = text, Config = JsonValues.ObjectFrom(new Dictionary<string, object> { [text] = text }, "config"), Extras = [new("x" + text, JsonValues.From(text, "x"))] });
        }

        var bytes = File.ReadAllBytes(path);
        Assert.All(bytes, b => Assert.True(b == '\n' || (b >= 0x20 && b <= 0x7E), $"byte 0x{b:x2} on disk"));
        Assert.Equal(hostile.Length, bytes.Count(b => b == '\n'));
        Assert.Contains("\\u001b]0;title\\u0007", Encoding.ASCII.GetString(bytes), StringComparison.Ordinal);
        var read = Events.ReadAll(path);
        Assert.Equal(hostile, read.Select(e => e.Reason));
        Assert.Equal(hostile, read.Select(e => e.Model));
        Assert.Equal(hostile, read.Select(e => e.Extras.Single().Value.GetString()));
    }
}
