import {renderListenerSslPolicy, sourceNotes} from '../../../src/ui/policies.js'

describe('where a listener policy came from is said once', () => {
  const policy = {protocols: ['TLSv1.2'], ciphers: ['ECDHE-RSA-AES128-GCM-SHA256'], serverOrder: true}

  it('keeps the source out of each listener', () => {
    const lines = renderListenerSslPolicy(443, 'HTTPS', {...policy, policyName: 'p', source: 'the table'})
    expect(lines.join('\n')).not.toContain('the table')
  })

  it('one note when every listener shares a source, one per source naming its listeners otherwise', () => {
    expect(
      sourceNotes([
        {loadBalancerPort: 443, source: 'the table'},
        {loadBalancerPort: 8443, source: 'the table'},
      ]),
    ).toEqual(['Note: from the table.'])
    expect(
      sourceNotes([
        {loadBalancerPort: 443, source: 'the table'},
        {loadBalancerPort: 8443, source: 'AWS'},
        {loadBalancerPort: 9443, source: 'the table'},
      ]),
    ).toEqual(['Note: listeners 443, 9443 from the table.', 'Note: listener 8443 from AWS.'])
  })
})
