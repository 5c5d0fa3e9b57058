using System.Management.Automation.Language;
using ScoutAudit.PowerShell.Tests.Support;

namespace ScoutAudit.PowerShell.Tests;

/// <summary>build.ps1 runs every test (so it runs itself), but a mistake in a task nobody ran would not show: these check it statically.</summary>
public sealed class ScriptParseTests
{
    private static ScriptBlockAst BuildScript(out ParseError[] errors) =>
        Parser.ParseFile(Repository.File("build.ps1"), out _, out errors);

    [Fact]
    public void TheBuildScriptParsesWithoutErrors()
    {
        var ast = BuildScript(out var errors);

        Assert.Empty(errors.Select(e => $"{e.Extent.StartLineNumber}: {e.Message}"));
        Assert.NotEmpty(ast.EndBlock.Statements);
    }

    [Fact]
    public void TheBuildScriptUsesNoInvokeExpressionAndChecksEveryDotnetExitCode()
    {
        var ast = BuildScript(out _);
        var commands = ast.FindAll(node => node is CommandAst, searchNestedScriptBlocks: true).Cast<CommandAst>().ToList();
        var lines = File.ReadAllLines(Repository.File("build.ps1"));

        Assert.DoesNotContain(commands, c => c.GetCommandName() is "Invoke-Expression" or "iex");
        var dotnetCalls = commands.Where(c => c.GetCommandName() == "dotnet").ToList();
        Assert.NotEmpty(dotnetCalls);
        foreach (var call in dotnetCalls)
        {
            // The next line reads the exit code: Assert-ExitCode, or $LASTEXITCODE kept for a decision.
            var next = lines[call.Extent.EndLineNumber];
            Assert.True(next.Contains("Assert-ExitCode", StringComparison.Ordinal) || next.Contains("$LASTEXITCODE", StringComparison.Ordinal),
                $"build.ps1:{call.Extent.StartLineNumber} '{call.Extent.Text}' is not followed by a check of its exit code.");
        }
    }
}
