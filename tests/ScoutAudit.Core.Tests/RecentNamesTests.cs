using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests;

public class RecentNamesTests
{
    [Fact]
    public void TheEventTypesAndModelsAtTheEndOfTheActiveFileAreFoundOnceEachInOrdinalOrder()
    {
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        using (var log = new AuditLog(path))
        {
            log.Append(Events.At(Events.Start, "nav", "s", 0.01, "gpt"));
            log.Append(Events.At(Events.Start, "custom", "s", null, "Llama"));
            log.Append(Events.At(Events.Start, "nav", "s", null, null));
        }
        File.AppendAllText(path, "not an event\n{\"ts\": \"2026-02-13T14:30:22.123Z\", \"event\": \"half");

        var names = RecentNames.Read(path);

        Assert.Equal(["custom", "nav"], names.EventTypes);
        Assert.Equal(["Llama", "gpt"], names.Models);
    }

    [Fact]
    public void OnlyTheTailIsReadAndItsCutFirstLineIsPassedOver()
    {
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        using (var log = new AuditLog(path))
        {
            log.Append(Events.At(Events.Start, "old_type", "s", null, "old-model"));
            for (var i = 0; i < 50; i++) log.Append(Events.At(Events.Start, "nav", "s", null, "recent"));
        }

        var names = RecentNames.Read(path, tailBytes: 2_000);

        Assert.Equal(["nav"], names.EventTypes);
        Assert.Equal(["recent"], names.Models);
    }

    [Fact]
    public void AMissingFileHasNoNames()
    {
        using var folder = new TempFolder();

        Assert.Same(RecentNames.None, RecentNames.Read(folder.File("none.jsonl")));
    }
}
