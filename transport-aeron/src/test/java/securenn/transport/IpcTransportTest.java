package securenn.transport;

class IpcTransportTest extends AbstractTransportTest
{
    @Override
    protected TransportConfig config()
    {
        return TransportConfig.ipc();
    }
}
