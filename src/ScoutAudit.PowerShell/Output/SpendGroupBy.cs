namespace ScoutAudit;

/// <summary>What Get-ScoutAuditSpend -By breaks spend down by. Hours and days are UTC periods.</summary>
public enum SpendGroupBy
{
    Model,
    Event,
    SessionId,
    Hour,
    Day,
}
