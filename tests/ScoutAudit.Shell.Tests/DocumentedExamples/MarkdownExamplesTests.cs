namespace ScoutAudit.Shell.Tests.DocumentedExamples;

public class MarkdownExamplesTests
{
    private const string Page = """
        # Get-Thing

        ## SYNTAX

        ```
        Get-Thing [-Name <String>]
        ```

        ## EXAMPLES

        ### Example 1: Get a thing

        ```powershell
        Get-Thing -Name a |
            Select-Object -First 1
        ```

        The thing. Output:

        ```output
        Name
        ----
        a
        ```

        ### Example 2: From a CSV file

        <!-- requires: pwsh -->

        ```PowerShell
        Import-Csv things.csv | Get-Thing
        ```

        ### Example 3: Shown with a prompt

        ~~~pwsh
        PS C:\> Get-Thing
        Name
        ~~~

        - In a list:

          ```ps1
          Get-Thing -Name b
          ```

        ## PARAMETERS

        ```yaml
        Type: String
        ```
        """;

    [Fact]
    public void PowerShellBlocksAreExamplesAndOtherBlocksAreNot()
    {
        var examples = MarkdownExamples.Extract(Page, "Get-Thing.md");
        Assert.Equal([13, 30, 36, 43], examples.Select(e => e.Line));
        Assert.Equal("Get-Thing -Name a |\n    Select-Object -First 1\n", examples[0].Code);
        Assert.Equal("Get-Thing -Name b\n", examples[3].Code);
        Assert.All(examples, e => Assert.Equal("Get-Thing.md", e.File));
    }

    [Fact]
    public void TheRequiresPwshCommentMarksOnlyTheNextExample()
    {
        var examples = MarkdownExamples.Extract(Page, "Get-Thing.md");
        Assert.Equal([false, true, false, false], examples.Select(e => e.RequiresPwsh));
    }

    [Fact]
    public void APromptInsideAnExampleIsReportedWithItsLine()
    {
        var examples = MarkdownExamples.Extract(Page, "Get-Thing.md");
        Assert.Equal([null, null, 37, null], examples.Select(e => e.PromptLine));
        Assert.Equal(5, MarkdownExamples.Extract("a\n\n```powershell\nGet-Date\nPS /home/ada> Get-Date\n```\n", "x.md").Single().PromptLine);
    }

    [Fact]
    public void ALongerFenceCanHoldAShorterOne()
    {
        var example = MarkdownExamples.Extract("````powershell\n'```'\n```\n````\n", "x.md").Single();
        Assert.Equal("'```'\n```\n", example.Code);
    }

    [Fact]
    public void AnUnclosedBlockRunsToTheEndOfThePage() =>
        Assert.Equal("Get-Date\n", MarkdownExamples.Extract("```powershell\nGet-Date", "x.md").Single().Code);
}
