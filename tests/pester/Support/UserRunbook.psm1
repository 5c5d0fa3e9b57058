# A user's own runbook module that records its work with ScoutAudit, as the acceptance tests in
# UsersOwnTests.Tests.ps1 exercise it: the kind of code people write and then test with Pester mocks.

function Invoke-GuardedModelCall {
    <#
    Calls a model unless the spend of the last hour is over budget. Records a `nav` event for the
    call, or a `budget` event when it refuses. Returns the model's text, or nothing when refused.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [scriptblock] $Call,
        [double] $HourlyBudget = 0.05,
        [string] $Model = 'llama-3.1-8b',
        [string] $AuditPath
    )
    $audit = @{}
    if ($AuditPath) { $audit.Path = $AuditPath }

    $spent = (Get-ScoutAuditSpend -Hours 1 @audit).Cost
    if ($spent -gt $HourlyBudget) {
        Write-ScoutAuditEvent budget -Model $Model -Reason "hourly budget $HourlyBudget exceeded: $spent" @audit
        return
    }

    $response = & $Call
    Write-ScoutAuditEvent nav -Model $Model -Cost $response.Cost -InputTokens $response.InputTokens `
        -OutputTokens $response.OutputTokens -Config @{ temperature = 0.2; api_key = $response.ApiKey } @audit
    $response.Text
}

Export-ModuleMember -Function Invoke-GuardedModelCall
