namespace ScoutAudit.Core;

/// <summary>
/// How spend is broken down (Get-ScoutAuditSpend -By); no grouping is null. Hours and days are UTC periods.
/// </summary>
public enum SpendGrouping
{
    Model,
    Event,
    SessionId,
    Hour,
    Day,
}
