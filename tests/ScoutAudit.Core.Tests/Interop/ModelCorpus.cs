using System.Text.Json;
using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests.Interop;

/// <summary>
/// The corpus the reference model writes: Fixtures/model_corpus_recipe.json lists the arguments of
/// each <c>write</c> call. regenerate.sh runs it to make the committed files; live tests run it again.
/// </summary>
internal static class ModelCorpus
{
    public const string Corpus = "corpus";
    public const string EdgeCases = "edge_cases";
    public const string OddLines = "odd_lines";
    public const string OddCosts = "odd_costs";

    /// <summary>The committed output of each recipe section.</summary>
    public static string FixtureOf(string section) => section switch
    {
        Corpus => "model_corpus.jsonl",
        EdgeCases => "model_edge_cases.jsonl",
        OddLines => "model_odd_lines.jsonl",
        OddCosts => "model_odd_costs.jsonl",
        _ => throw new ArgumentOutOfRangeException(nameof(section), section, "The recipe has the sections corpus, edge_cases, odd_lines and odd_costs."),
    };

    public static IReadOnlyList<string[]> Recipe(string section)
    {
        using var recipe = JsonDocument.Parse(File.ReadAllBytes(InteropFixtures.PathOf("model_corpus_recipe.json")));
        return recipe.RootElement.GetProperty(section).EnumerateArray()
            .Select(call => call.EnumerateArray().Select(argument => argument.GetString()!).ToArray())
            .ToList();
    }

    /// <summary>Has the model write the recipe section into <paramref name="path"/>, one process per call, as regenerate.sh does.</summary>
    public static void WriteWithModel(string section, string path)
    {
        foreach (var arguments in Recipe(section))
        {
            ReferenceModel.Run(["write", "--path", path, .. arguments]);
        }
    }
}
