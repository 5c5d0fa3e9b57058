using ScoutAudit.Shell.Tests.Support;
using Xunit.Abstractions;

namespace ScoutAudit.Shell.Tests.DocumentedExamples;

/// <summary>
/// Every example of README.md and docs/en-US runs in the shell exactly as written (issue 8, item 3). Examples marked
/// <c>&lt;!-- requires: pwsh --&gt;</c> are counted instead, and there may be at most three of them.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public class DocumentedExamplesTests(ITestOutputHelper output)
{
    private const int MostExamplesThatMayNeedPwsh = 3;

    private static IEnumerable<string> Pages()
    {
        yield return Path.Combine(Repository.Root, "README.md");
        string docs = Path.Combine(Repository.Root, "docs", "en-US");
        if (Directory.Exists(docs))
        {
            foreach (string page in Directory.EnumerateFiles(docs, "*.md").Order(StringComparer.Ordinal))
            {
                yield return page;
            }
        }
    }

    private static List<MarkdownExample> AllExamples() =>
        Pages().SelectMany(page => MarkdownExamples.Extract(File.ReadAllText(page), Path.GetRelativePath(Repository.Root, page))).ToList();

    [Fact]
    public void EveryDocumentedExampleRunsInTheShellWithoutError()
    {
        var examples = AllExamples();
        var runnable = examples.Where(e => !e.RequiresPwsh).ToList();
        if (runnable.Any(e => e.File.StartsWith("docs", StringComparison.Ordinal)) && !Repository.ModuleBuilt)
        {
            Assert.Fail("The docs have examples but module/ScoutAudit.psd1 is not built: run 'dotnet build ScoutAudit.sln'.");
        }

        var realScout = ScoutDirectorySnapshot.Take();
        var outcomes = runnable.Select(e => ExampleRunner.Run(e, Repository.ModuleBuilt ? Repository.ModuleManifest : string.Empty)).ToList();

        int pages = examples.Select(e => e.File).Distinct().Count();
        output.WriteLine($"{examples.Count} examples on {pages} pages: {runnable.Count} run, {outcomes.Count(o => o.Succeeded)} passed, " +
                         $"{examples.Count - runnable.Count} marked 'requires: pwsh' (at most {MostExamplesThatMayNeedPwsh}).");
        foreach (var failure in outcomes.Where(o => !o.Succeeded))
        {
            output.WriteLine("FAILED " + failure);
        }

        Assert.Equal(realScout, ScoutDirectorySnapshot.Take());
        Assert.True(outcomes.All(o => o.Succeeded), string.Join("\n\n", outcomes.Where(o => !o.Succeeded)));
    }

    [Fact]
    public void ExamplesHoldCommandsOnly()
    {
        var withPrompts = AllExamples().Where(e => e.PromptLine is not null).ToList();
        Assert.True(withPrompts.Count == 0,
            "Examples must hold commands only, without a 'PS>' prompt; show output in a separate block. Prompts at: " +
            string.Join(", ", withPrompts.Select(e => $"{e.File}:{e.PromptLine}")));
    }

    [Fact]
    public void AtMostThreeExamplesNeedAFullPowerShell()
    {
        var marked = AllExamples().Where(e => e.RequiresPwsh).ToList();
        Assert.True(marked.Count <= MostExamplesThatMayNeedPwsh,
            $"{marked.Count} examples are marked 'requires: pwsh' (at most {MostExamplesThatMayNeedPwsh}): {string.Join(", ", marked)}");
    }

    [Fact]
    public void TheRunnerRunsAPagesExamplesAndCatchesAFailingOne()
    {
        // The runner itself, on a page of our own: a passing example, a failing one, and a marked one that is not run.
        var examples = MarkdownExamples.Extract("""
            ```powershell
            [pscustomobject]@{ Event = 'nav'; Cost = 2 } | Sort-Object Cost | Select-Object -First 1 | ConvertTo-Json -Compress
            $env:SCOUT_AUDIT_PATH
            $HOME
            ```

            ```powershell
            Get-ChildItem
            ```

            <!-- requires: pwsh -->
            ```powershell
            Import-Csv usage.csv
            ```
            """, "fixture.md");

        var passing = ExampleRunner.Run(examples[0], modulePath: string.Empty);
        var failing = ExampleRunner.Run(examples[1], modulePath: string.Empty);

        Assert.True(passing.Succeeded, passing.ToString());
        var lines = passing.Result.Out.Split('\n');
        Assert.Equal("{\"Event\":\"nav\",\"Cost\":2}", lines[0]);
        Assert.EndsWith(Path.Combine("logs", "audit.jsonl"), lines[1]);
        Assert.NotEqual(Environment.GetEnvironmentVariable("HOME"), lines[2]);
        Assert.False(failing.Succeeded);
        Assert.True(examples[2].RequiresPwsh);
    }
}

/// <summary>The real ~/.scout as a list of files, sizes and times: equal before and after means untouched.</summary>
internal static class ScoutDirectorySnapshot
{
    public static string Take()
    {
        string directory = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".scout");
        if (!Directory.Exists(directory))
        {
            return "(no ~/.scout)";
        }

        return string.Join("\n", new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories)
            .OrderBy(f => f.FullName, StringComparer.Ordinal)
            .Select(f => $"{f.FullName} {f.Length} {f.LastWriteTimeUtc:O}"));
    }
}
