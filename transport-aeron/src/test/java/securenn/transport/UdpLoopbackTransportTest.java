package securenn.transport;

class UdpLoopbackTransportTest extends AbstractTransportTest
{
    @Override
    protected TransportConfig config()
    {
        return TransportConfig.udpLoopback(TestPorts.base());
    }
}
