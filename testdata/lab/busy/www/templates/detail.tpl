<section><h2>{{ name }}</h2><p>Price: {{ price }} EUR</p><p>In stock.</p></section>
